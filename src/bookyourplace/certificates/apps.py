from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "bookyourplace.certificates"
    label = "certificates"
    verbose_name = "Certificates"

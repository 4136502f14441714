from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "bookyourplace.certificates"
    label = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # A certificate names its booking's person: listed for subject access.
        from bookyourplace.certificates.personal_data import HOLDER
        from bookyourplace.privacy.personal_data import register_holder

        register_holder(HOLDER)

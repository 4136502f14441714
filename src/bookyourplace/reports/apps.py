from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bookyourplace.reports"
    label = "reports"

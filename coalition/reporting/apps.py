from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "coalition.reporting"
    label = "reporting"
    verbose_name = "Progress reporting"

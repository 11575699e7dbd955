from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coalition.reports"
    label = "reports"
    verbose_name = "Reports"

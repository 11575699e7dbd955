from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "coalition.indicators"
    label = "indicators"
    verbose_name = "Connectivity indicators"

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "coalition.reporting"
    label = "reporting"
    verbose_name = "Progress reporting"

    def ready(self):
        from coalition.common import signals
        from coalition.reporting import money

        signals.rates_changed.connect(money.report_values_on_rates_changed, dispatch_uid="coalition.reporting.rates")
        signals.rates_wanted.connect(money.report_values_wanted, dispatch_uid="coalition.reporting.rates_wanted")

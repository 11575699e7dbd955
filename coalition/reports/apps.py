from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coalition.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from coalition.common import signals
        from coalition.reports import receivers

        signals.tasks_reaped.connect(receivers.tasks_reaped, dispatch_uid="coalition.reports.reap")

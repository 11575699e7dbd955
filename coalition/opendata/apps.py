from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "coalition.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from simple_history.signals import post_create_historical_record

        from coalition.common import signals
        from coalition.opendata import receivers
        from coalition.reference.models import CountryGroupMembership, ImportRun

        post_create_historical_record.connect(receivers.version_written, dispatch_uid="coalition.opendata.version")
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(receivers.changed, sender=CountryGroupMembership,
                           dispatch_uid=f"coalition.opendata.memberships.{name}")
        post_save.connect(receivers.import_finished, sender=ImportRun, dispatch_uid="coalition.opendata.import")
        signals.registry_changed.connect(receivers.changed, dispatch_uid="coalition.opendata.registry")
        signals.tasks_reaped.connect(receivers.tasks_reaped, dispatch_uid="coalition.opendata.reap")

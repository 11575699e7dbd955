from django.apps import AppConfig


class ExploreConfig(AppConfig):
    name = "coalition.explore"
    label = "explore"
    verbose_name = "Public pages and figures"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from simple_history.signals import post_create_historical_record

        from coalition.common import signals
        from coalition.explore import daily
        from coalition.reference.models import CountryGroupMembership

        post_create_historical_record.connect(daily.version_written, dispatch_uid="coalition.tallies.version")
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(daily.memberships_changed, sender=CountryGroupMembership, dispatch_uid=f"coalition.tallies.{name}")
        signals.registry_changed.connect(daily.registry_changed, dispatch_uid="coalition.tallies.registry")

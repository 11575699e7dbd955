from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    name = "coalition.common"
    label = "common"

    def ready(self):
        from django.core.signals import request_finished
        from django.db import models
        from simple_history.signals import post_create_historical_record

        from coalition.common.i18n import language_forget
        from coalition.common.intervals import version_written
        from coalition.common.lookups import IntegerIn

        models.IntegerField.register_lookup(IntegerIn)
        post_create_historical_record.connect(version_written, dispatch_uid="coalition.version_intervals")
        request_finished.connect(language_forget, dispatch_uid="coalition.language_forget")


class CoalitionAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the platform's site (`coalition.common.admin_site`)."""

    default = False
    default_site = "coalition.common.admin_site.CoalitionAdminSite"

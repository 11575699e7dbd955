from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    name = "coalition.common"
    label = "common"

    def ready(self):
        from django.db import models

        from coalition.common.lookups import IntegerIn

        models.IntegerField.register_lookup(IntegerIn)


class CoalitionAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the platform's site (`coalition.common.admin_site`)."""

    default = False
    default_site = "coalition.common.admin_site.CoalitionAdminSite"

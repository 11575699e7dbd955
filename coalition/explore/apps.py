from django.apps import AppConfig


class ExploreConfig(AppConfig):
    name = "coalition.explore"
    label = "explore"
    verbose_name = "Public pages and figures"

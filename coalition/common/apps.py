from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "coalition.common"
    label = "common"

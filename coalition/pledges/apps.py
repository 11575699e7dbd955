from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "coalition.pledges"
    label = "pledges"

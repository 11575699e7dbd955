from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "coalition.reference"
    label = "reference"

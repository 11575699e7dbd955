from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "coalition.knowledge"
    label = "knowledge"
    verbose_name = "Good practices"

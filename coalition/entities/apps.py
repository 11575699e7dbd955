from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "coalition.entities"
    label = "entities"

    def ready(self):
        from coalition.accounts.sections import account_sections
        from coalition.entities.views import account_section

        account_sections.register(account_section)

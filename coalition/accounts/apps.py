from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "coalition.accounts"
    label = "accounts"

    def ready(self):
        from coalition.accounts import checks  # noqa: F401  (registers the deployment checks)
        from coalition.accounts.roles import role_groups_ensure
        from coalition.accounts.sections import account_sections, api_tokens_section

        account_sections.register(api_tokens_section)

        post_migrate.connect(role_groups_ensure, dispatch_uid="coalition.accounts.role_groups")

from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "coalition.pledges"
    label = "pledges"

    def ready(self):
        from coalition.accounts.sections import account_sections
        from coalition.common import signals
        from coalition.pledges.views.discussion import account_section

        account_sections.register(account_section)
        from coalition.pledges.services import money

        signals.rates_changed.connect(money.pledge_values_on_rates_changed, dispatch_uid="coalition.pledges.rates")
        signals.rates_wanted.connect(money.pledge_values_wanted, dispatch_uid="coalition.pledges.rates_wanted")

from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "coalition.actionplan"
    label = "actionplan"
    verbose_name = "Action plans"

    def ready(self):
        from coalition.accounts.sections import account_sections, work_cards
        from coalition.actionplan.views.activities import account_section
        from coalition.actionplan.views.plan_review import work_card

        account_sections.register(account_section)
        work_cards.register(work_card)

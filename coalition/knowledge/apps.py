from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "coalition.knowledge"
    label = "knowledge"
    verbose_name = "Good practices"

    def ready(self):
        from coalition.accounts.sections import account_sections, work_cards
        from coalition.actionplan.sections import action_sections
        from coalition.actionplan.sections import report_sections as session_sections
        from coalition.knowledge import sections
        from coalition.reporting.sections import report_sections

        action_sections.register(sections.action_practices)
        work_cards.register(sections.work_card)
        account_sections.register(sections.account_section)
        report_sections.register(sections.report_share)
        session_sections.register(sections.session_practices)

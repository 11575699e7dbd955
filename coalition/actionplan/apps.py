from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "coalition.actionplan"
    label = "actionplan"
    verbose_name = "Action plans"

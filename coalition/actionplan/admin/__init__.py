"""The admin of the action plan: every write goes through the services."""

from coalition.actionplan.admin import activities, meetings, plans  # noqa: F401

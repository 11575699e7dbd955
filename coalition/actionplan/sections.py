"""Sections other apps add to an action's page, such as the good practices linked to it
(`common.sections`). Each section takes `action` and `as_of`."""

from coalition.common.sections import Sections

action_sections = Sections("an action's page")

# A governing body's session page (a Commission session the secretariat reports to): each
# section takes `meeting`, `plan` and `as_of`.
report_sections = Sections("what the secretariat reports to a session")

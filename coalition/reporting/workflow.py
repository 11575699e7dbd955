"""The progress-report workflow, on the one transition engine (`common.workflow`): the lead
entity's focal points write and submit a report; reviewers accept it (with a verification level)
or return it (with a comment).

Services move reports only through this table; views and the admin ask it which actions and
edits to offer.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.roles import user_is_reviewer
from coalition.common.workflow import Role, Texts, Transition, Workflow
from coalition.entities.permissions import user_can_act_for_entity
from coalition.reporting.models import ProgressReportTransition, ReportAction, ReportStatus

PLEDGER, REVIEWER = "pledger", "reviewer"

# States in which the pledger may still edit the report.
REPORT_EDITABLE_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})

REPORT_WORKFLOW = Workflow(
    actions=ReportAction,
    transitions=[
        Transition(ReportAction.SUBMIT, REPORT_EDITABLE_STATES, ReportStatus.SUBMITTED, PLEDGER),
        Transition(ReportAction.ACCEPT, frozenset({ReportStatus.SUBMITTED}), ReportStatus.ACCEPTED, REVIEWER),
        Transition(ReportAction.RETURN, frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED, REVIEWER,
                   comment_required=True),
    ],
    roles={
        PLEDGER: Role(
            holds=lambda user, report: user_can_act_for_entity(user, report.pledge.lead_entity),
            refusal=lambda report: _("Only focal points of %(entity)s can report on this pledge.") % {
                "entity": report.pledge.lead_entity},
        ),
        REVIEWER: Role(
            holds=lambda user, _report: user_is_reviewer(user),
            refusal=lambda _report: _("Only the secretariat's reviewers can do this."),
        ),
    },
    editable={PLEDGER: REPORT_EDITABLE_STATES},
    log=ProgressReportTransition, subject="report",
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s: it is %(status)s."),
        not_editable=gettext_lazy("A report that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this report."),
        comment_needed=gettext_lazy("Explain what to change so the pledger knows what to do."),
    ),
)

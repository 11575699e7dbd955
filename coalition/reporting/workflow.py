"""The progress-report workflow, on the one transition engine (`common.workflow`): the lead
entity's focal points write and submit a report; reviewers accept it (with a verification level)
or return it (with a comment).

Services move reports only through this table; views and the admin ask it which actions and
edits to offer.
"""

from django.utils.translation import gettext_lazy

from coalition.common.workflow import Texts, Transition, Workflow
from coalition.pledges.workflow import PLEDGER, REVIEWER, REVIEWER_ROLE, pledger_role
from coalition.reporting.discussion import report_moved
from coalition.reporting.models import ProgressReportTransition, ReportAction, ReportStatus

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
        PLEDGER: pledger_role(lambda report: report.pledge,
                              gettext_lazy("Only focal points of %(entity)s can report on this pledge.")),
        REVIEWER: REVIEWER_ROLE,
    },
    editable={PLEDGER: REPORT_EDITABLE_STATES},
    log=ProgressReportTransition, subject="report", notify=report_moved,
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s: it is %(status)s."),
        not_editable=gettext_lazy("A report that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this report."),
        comment_needed=gettext_lazy("Explain what to change so the pledger knows what to do."),
    ),
)

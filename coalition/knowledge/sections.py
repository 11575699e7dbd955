"""What the library adds to other apps' pages (registered in `apps.py`): the practices linked to
an action, the practices waiting on the secretariat, a person's practices on their account page,
and "share as a good practice" on an accepted report."""

from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import ReviewStatus
from coalition.knowledge.models import GoodPractice
from coalition.knowledge.permissions import report_sharer, sharers_for
from coalition.knowledge.selectors.library import published_versions
from coalition.knowledge.selectors.practices import practices_of_author
from coalition.knowledge.selectors.related import practices_related
from coalition.reporting.models import ReportStatus


def action_practices(*, action, as_of):
    return "knowledge/_action_practices.html", {"practices": practices_related(action=action, as_of=as_of), "as_of": as_of}


def work_card(user):
    if not user_is_reviewer(user):
        return None
    return "knowledge/_work_card.html", {"waiting": GoodPractice.objects.filter(status=ReviewStatus.SUBMITTED).count()}


def account_section(user):
    if not sharers_for(user):
        return None
    return "knowledge/_account_section.html", {"practices": list(practices_of_author(user)[:10])}


def report_share(*, report, user):
    if report.status != ReportStatus.ACCEPTED or report_sharer(user, report) is None:
        return None
    return "knowledge/_share_report.html", {"report": report}


def session_practices(*, meeting, plan, as_of):
    """On a Commission session's page: the good practices the library held on the date."""
    return "knowledge/_session_practices.html", {"count": published_versions(as_of).count(), "as_of": as_of}

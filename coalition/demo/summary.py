"""Headline counts of the demo data, for the command's closing summary and the tests."""

from django.db.models import Count, Sum

from coalition.entities.models import Entity
from coalition.pledges.models import Pledge
from coalition.reporting.models import ProgressReport


def demo_summary() -> dict:
    """Demo entities, their home countries, demo pledges by status, the published USD total and
    the demo pledges' progress reports by status."""
    entities = Entity.objects.filter(is_demo=True)
    pledges = Pledge.objects.filter(is_demo=True)
    by_status = dict(pledges.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    reports = ProgressReport.objects.filter(pledge__is_demo=True).order_by()
    reports_by_status = dict(reports.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "entities": entities.count(),
        "home_countries": entities.order_by().values("home_country").distinct().count(),
        "pledges": sum(by_status.values()),
        "pledges_by_status": by_status,
        "published_value_usd": pledges.filter(status="published").aggregate(total=Sum("value_usd"))["total"],
        "reports": sum(reports_by_status.values()),
        "reports_by_status": reports_by_status,
        "pledges_reporting": reports.values("pledge_id").distinct().count(),
    }

"""Reads of the registry. Views, API, admin and commands all call these."""

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import Entity, Pledge
from .workflow import Status


def pledge_list_published() -> QuerySet[Pledge]:
    return Pledge.objects.filter(status=Status.PUBLISHED).select_related(
        "lead_entity", "initiative", "value_currency", "campaign"
    )


def registry_summary() -> dict:
    """Headline counts of the published registry, stamped with the moment they were read."""
    published = Pledge.objects.filter(status=Status.PUBLISHED)
    totals = published.aggregate(pledges=Count("id"), value_usd=Sum("value_usd"))
    entities = Entity.objects.filter(
        Q(led_pledges__status=Status.PUBLISHED) | Q(partner_pledges__status=Status.PUBLISHED)
    ).distinct().count()
    countries = (
        published.exclude(beneficiary_countries=None).values("beneficiary_countries").distinct().count()
    )
    return {
        "as_of": timezone.now(),
        "published_pledges": totals["pledges"],
        "value_usd": totals["value_usd"],
        "entities": entities,
        "countries": countries,
        "is_demo": published.filter(is_demo=True).exists(),
    }

"""The demo's intergovernmental side: the shipped plans and meetings are loaded, demo activities,
participation, measures and practices are published and dated in the past, the demo's country
focal point acts for Lao PDR, and `demo reset` removes the demo records but keeps the plans."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint
from coalition.actionplan.models import Activity, Meeting, NationalMeasure, Participation, Plan, ReviewStatus
from coalition.knowledge.models import GoodPractice
from coalition.reference.testing import load_reference_fixture


@pytest.fixture
def demo_generated(db):
    load_reference_fixture()
    call_command("demo", "generate", "--pledges", "40", "--seed", "3", stdout=StringIO())


def test_the_demo_loads_the_plans_and_meetings_and_writes_published_dated_records(demo_generated):
    assert set(Plan.objects.values_list("slug", flat=True)) >= {"ap-is-2022-2026"}
    assert Meeting.objects.filter(slug="ministerial-conference-2024").exists()
    for model in (Activity, Participation, NationalMeasure, GoodPractice):
        records = model.objects.filter(is_demo=True)
        assert records.exists(), model
        assert not records.exclude(status=ReviewStatus.PUBLISHED).exists(), model
        # Dated as they would have happened, not all today: the as-of pages have a past to show.
        assert records.filter(published_at__date__lt=timezone.localdate()).exists(), model
        history = model.history.model.objects.filter(id__in=records.values("pk"))
        assert not history.filter(published_at__isnull=False).exclude(
            published_at__in=records.values("published_at")).exists(), model
    assert CountryFocalPoint.objects.filter(user__email="country.focal.point@coalition.localhost",
                                            country__iso3="LAO").exists()


def test_demo_reset_removes_the_demo_records_and_keeps_the_plans(demo_generated):
    call_command("demo", "reset", stdout=StringIO())

    for model in (Activity, Participation, NationalMeasure, GoodPractice):
        assert not model.objects.exists(), model
        assert not model.history.model.objects.exists(), model
    assert Plan.objects.filter(slug="ap-is-2022-2026").exists() and Meeting.objects.exists()

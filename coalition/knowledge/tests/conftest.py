"""The library's fixtures: reference rows practices are tagged with, a complete practice's fields,
an accepted progress report, and practices at each step of review, all made through the services."""

import pytest
from django.utils import timezone

from coalition.knowledge import services
from coalition.reference.models import SdgGoal, SdgTarget, WsisActionLine
from coalition.reporting.services import report_accept, report_create, report_submit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tags(db, initiative):
    goal4 = SdgGoal.objects.create(number=4, title_en="Education", short_en="Quality education")
    goal9 = SdgGoal.objects.create(number=9, title_en="Industry", short_en="Industry, innovation and infrastructure")
    c2 = WsisActionLine.objects.create(code="C2", title_en="Information and communication infrastructure", order=2)
    c7 = WsisActionLine.objects.create(code="C7", title_en="ICT applications", order=7)
    return {
        "4.a": SdgTarget.objects.create(goal=goal4, code="4.a", short_en="Education facilities", title_en="Education facilities", order=1),
        "9.c": SdgTarget.objects.create(goal=goal9, code="9.c", short_en="Access to ICT", title_en="Access to ICT", order=1),
        "C2": c2, "C7": c7,
        "C7.1": WsisActionLine.objects.create(code="C7.1", parent=c7, title_en="E-government", order=8),
        "FA1": initiative.nodes.get(code="FA1"), "FA1.1": initiative.nodes.get(code="FA1.1"),
    }


@pytest.fixture
def practice_fields(countries, tags):
    """A complete practice shared by entity A's focal points (add `entity` and `shared_by` to change that)."""
    return {
        "title": "Community telecentres in rural Nepal",
        "summary": "Forty telecentres opened in post offices, run by local women.",
        "problem": "Villages two days' walk from the nearest **Internet** access.",
        "approach": "- Satellite links to post offices\n- Training for 120 operators",
        "results": "40 telecentres; 18,000 people online in the first year.",
        "lessons": "Local operators kept the centres open.",
        "cost": "USD 1.2 million, from the universal service fund",
        "contact_name": "Sita Sharma", "contact_email": "sita@example.org",
        "countries": [countries["NPL"]], "framework_nodes": [tags["FA1.1"]], "sdg_targets": [tags["9.c"]],
        "wsis_lines": [tags["C2"]], "pledges": [], "actions": [],
    }


@pytest.fixture
def pledger_fields(practice_fields, entity_a):
    return {**practice_fields, "shared_by": "pledger", "entity": entity_a}


@pytest.fixture
def draft(pledger_a, pledger_fields):
    return services.practice_create(actor=pledger_a, data=pledger_fields)


@pytest.fixture
def submitted(draft, pledger_a):
    return services.practice_move(actor=pledger_a, practice=draft, action="submit")


@pytest.fixture
def published_practice(submitted, reviewer):
    return services.practice_move(actor=reviewer, practice=submitted, action="publish")


@pytest.fixture
def accepted_report(published, pledger_a, reviewer):
    """An accepted report on entity A's published pledge (`published`, from the shared fixtures)."""
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": timezone.localdate(), "implementation_status": "on_track", "share_delivered": "40",
        "narrative": "120 schools connected in three counties.\n\nTeachers trained on site.",
        "challenges": "Rainy season delayed works.",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}], "evidence": [],
    })
    report_submit(actor=pledger_a, report=report)
    return report_accept(actor=reviewer, report=report, verification_level="documented")

"""Moving entities, focal points, access requests and progress reports into their own apps moved
no row: a database as the previous release left it (those models in `pledges` and `accounts`)
migrates forward with every row and its history, and the content types (so permissions and
admin history) follow the models."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from coalition.entities.models import AccessRequest, Entity, FocalPoint
from coalition.reporting.models import Evidence, ProgressReport, ProgressReportTarget, ProgressReportTransition

BEFORE = [("pledges", "0006_pledge_search"), ("accounts", "0003_notifications"), ("entities", None), ("reporting", None)]
MOVED = {
    "entities": ["entity", "historicalentity", "focalpoint", "historicalfocalpoint", "accessrequest"],
    "reporting": ["progressreport", "historicalprogressreport", "progressreporttarget",
                  "historicalprogressreporttarget", "evidence", "historicalevidence", "progressreporttransition"],
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def _populate(old):
    """Rows of every moved model, written with the models as they were before the move."""
    user = old.get_model("accounts", "User").objects.create(email="focal@example.org", password="!")
    country = old.get_model("reference", "Country").objects.create(iso3="KEN", iso2="KE", numeric="404",
                                                                   name_en="Kenya", name_fr="Kenya")
    initiative = old.get_model("reference", "Initiative").objects.create(slug="p2c", kind="coalition",
                                                                         name_en="Partner2Connect", short_name="P2C")
    entity = old.get_model("pledges", "Entity").objects.create(name="Ministry of ICT, Kenya", entity_type="government",
                                                               home_country=country)
    old.get_model("pledges", "HistoricalEntity").objects.create(
        id=entity.pk, name=entity.name, entity_type="government", home_country=country, itu_membership="none",
        is_demo=False, created_at=entity.created_at, updated_at=entity.updated_at,
        history_date=timezone.now(), history_type="+", history_user=user)
    old.get_model("pledges", "FocalPoint").objects.create(entity=entity, user=user, name="Focal", email=user.email)
    old.get_model("accounts", "AccessRequest").objects.create(requester=user, kind="join_entity", entity=entity)
    pledge = old.get_model("pledges", "Pledge").objects.create(
        initiative=initiative, lead_entity=entity, title="Connect 500 rural schools", pledge_type="programmatic",
        status="published", published_at=timezone.now())
    target = old.get_model("pledges", "PledgeTarget").objects.create(pledge=pledge, description="Schools",
                                                                     unit="schools", target_value=500)
    report = old.get_model("pledges", "ProgressReport").objects.create(
        pledge=pledge, period_end=datetime.date(2025, 12, 31), year=2025, status="accepted", narrative="Done.")
    old.get_model("pledges", "ProgressReportTarget").objects.create(report=report, target=target, actual_value=120)
    old.get_model("pledges", "Evidence").objects.create(report=report, kind="link", title="Site",
                                                        url="https://example.org")
    old.get_model("pledges", "ProgressReportTransition").objects.create(
        report=report, action="accept", from_status="submitted", to_status="accepted", actor=user, at=timezone.now())
    return {"entity": entity.pk, "report": report.pk, "user": user.pk}


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_migrates_forward_with_every_row():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    content_type = old.get_model("contenttypes", "ContentType")
    assert set(content_type.objects.filter(app_label="entities").values_list("model", flat=True)) == set()
    assert content_type.objects.filter(app_label="pledges", model="entity").exists()
    made = _populate(old)

    _migrate(latest)

    entity = Entity.objects.get(pk=made["entity"])
    assert entity.name == "Ministry of ICT, Kenya" and entity.history.count() == 1
    assert FocalPoint.objects.get(entity=entity).user_id == made["user"]
    assert AccessRequest.objects.get().entity == entity
    report = ProgressReport.objects.get(pk=made["report"])
    assert report.pledge.lead_entity == entity and report.narrative == "Done."
    assert ProgressReportTarget.objects.get(report=report).actual_value == 120
    assert Evidence.objects.get(report=report).url == "https://example.org"
    assert ProgressReportTransition.objects.get(report=report).action == "accept"
    from django.contrib.contenttypes.models import ContentType

    for app_label, models in MOVED.items():
        assert set(ContentType.objects.filter(app_label=app_label).values_list("model", flat=True)) >= set(models)
    assert not ContentType.objects.filter(app_label="pledges", model__in=MOVED["entities"] + MOVED["reporting"]).exists()
    assert not ContentType.objects.filter(app_label="accounts", model="accessrequest").exists()

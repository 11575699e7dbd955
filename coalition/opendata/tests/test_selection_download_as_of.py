"""A selection downloaded with `?as_of=` a past day holds the selection as it stood at the end of
that day, read through the dashboard's read model: each pledge with its title, countries,
targets and reporting status of the day, the pledges published then (a pledge withdrawn since
included, one published later left out), as many as the explorer and the dashboard count; the
file names the day; a bad date is a 400 naming `as_of`."""

import csv
import datetime
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.common.asof import as_of_date
from coalition.explore.daily import tallies_for
from coalition.explore.explorer import explorer_search
from coalition.explore.figures import key_figures
from coalition.explore.registry import entity_versions, partner_versions, pledge_as_of, published_pledge_versions
from coalition.explore.tests.places_fixtures import at, groups, registry  # noqa: F401 (fixtures)
from coalition.opendata.tables import TABLES, Scope
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update
from coalition.reference.testing import load_reference_fixture
from coalition.tests.builders import publish


def _url(extension: str, query: str = "") -> str:
    return reverse("opendata:selection", args=[extension]) + query


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def _json(response) -> dict:
    document = json.loads(b"".join(response.streaming_content))
    return {table["name"]: table["rows"] for table in document["tables"]} | {"as_of": document["as_of"]}


@pytest.fixture
def edited(registry, countries, pledger_b, reviewer):
    """Nepal's pledge retitled, moved to Bhutan and its target raised on 10 January 2025."""
    nepal = registry["nepal"]
    with at(2025, 1, 10, 10):
        revision = revision_start(actor=pledger_b, pledge=nepal, reason="A wider plan")
        data = revision_data_load(revision.data)
        targets = [{**target, "target_value": Decimal("900")} for target in data["targets"]]
        revision = revision_update(actor=pledger_b, revision=revision, data={
            **data, "title": "Himalayan broadband for all", "beneficiary_countries": [countries["BTN"]],
            "targets": targets,
        })
        revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_b, revision=revision))
    return nepal


@pytest.mark.django_db
def test_a_pledge_edited_since_has_its_old_title_countries_and_targets(client, edited):
    before = _json(client.get(_url("json", "?as_of=2024-12-31")))
    today = _json(client.get(_url("json")))

    assert {row["id"]: row["title"] for row in before["pledges"]}[edited.pk] == "Himalayan broadband"
    assert {row["id"]: row["title"] for row in today["pledges"]}[edited.pk] == "Himalayan broadband for all"
    assert [row["country"] for row in before["pledge_countries"] if row["pledge_id"] == edited.pk] == ["NPL"]
    assert [row["country"] for row in today["pledge_countries"] if row["pledge_id"] == edited.pk] == ["BTN"]
    then = [Decimal(row["target_value"]) for row in before["pledge_targets"] if row["pledge_id"] == edited.pk]
    now = [Decimal(row["target_value"]) for row in today["pledge_targets"] if row["pledge_id"] == edited.pk]
    assert now == [Decimal("900")] and then != now and len(then) == 1


@pytest.mark.django_db
def test_the_pledges_are_those_published_then_a_withdrawn_one_kept_a_later_one_left_out(client, registry):
    response = client.get(_url("csv", "?as_of=2025-01-01"))

    assert response.status_code == 200
    assert sorted(int(row["id"]) for row in _csv_rows(response)) == sorted([registry["kenya"].pk, registry["nepal"].pk])
    assert response["Content-Disposition"] == 'attachment; filename="pledges-2025-01-01-en.csv"'
    assert sorted(int(row["id"]) for row in _csv_rows(client.get(_url("csv")))) == sorted(
        [registry["nepal"].pk, registry["regional"].pk])


@pytest.mark.django_db
def test_the_partners_and_reports_are_those_of_the_day(client, registry, entity_a):
    before = _json(client.get(_url("json", "?as_of=2024-11-19")))
    after = _json(client.get(_url("json", "?as_of=2024-11-20")))

    assert before["progress_reports"] == [] and [row["id"] for row in after["progress_reports"]] == [registry["report"].pk]
    assert [(row["pledge_id"], row["entity_id"]) for row in after["partners"]] == [(registry["nepal"].pk, entity_a.pk)]


@pytest.mark.django_db
def test_the_reporting_status_is_the_days(client, registry):
    for day in ("2024-06-01", "2025-04-01", "2025-05-31"):
        rows = _json(client.get(_url("json", f"?as_of={day}")))["pledges"]
        for row in rows:
            expected = pledge_as_of(row["id"], as_of_date(datetime.date.fromisoformat(day))).reporting_status
            assert row["reporting_status"] == expected, (day, row["id"])
    nepal = {row["id"]: row for row in _json(client.get(_url("json", "?as_of=2024-06-01")))["pledges"]}[registry["nepal"].pk]
    assert nepal["reporting_status"] == "on_time"


@pytest.mark.django_db
def test_the_files_say_their_day(client, registry):
    json_response = client.get(_url("json", "?as_of=2024-12-31"))
    xlsx = client.get(_url("xlsx", "?as_of=2024-12-31"))

    assert _json(json_response)["as_of"] == as_of_date(datetime.date(2024, 12, 31)).moment.astimezone(
        datetime.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    assert json_response["X-Data-As-Of"] and xlsx["X-Data-As-Of"] == json_response["X-Data-As-Of"]
    assert json_response["Content-Disposition"].endswith('pledges-2024-12-31-en.json"')
    assert xlsx["Content-Disposition"].endswith('pledges-2024-12-31-en.xlsx"')


@pytest.mark.django_db
def test_a_bad_date_is_a_400_naming_as_of(client, registry):
    response = client.get(_url("csv", "?as_of=someday"))

    assert response.status_code == 400 and response.content.decode().startswith("as_of:")


@pytest.mark.django_db
def test_a_past_day_reads_more_rows_with_no_more_queries(client, registry, pledger_a, reviewer, pledge_data,
                                                        django_assert_max_num_queries):
    url = _url("json", "?as_of=2025-12-31")
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(url).streaming_content)
    with at(2025, 7, 1, 10):
        for index in range(3):
            publish(pledger_a, reviewer, {**pledge_data, "title": f"More pledge {index}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        document = _json(client.get(url))
    assert len(document["pledges"]) == 5


# The dashboard's read model on a small generated demo.


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 40-pledge demo with its history, generated once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_fixture()
        call_command("demo", "generate", "--pledges", "40", "--seed", "7", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def days(demo, db) -> list[datetime.date]:
    """Three past days between the first publication and yesterday."""
    first = Pledge.history.filter(status=Status.PUBLISHED).order_by("history_date").first().history_date.date()
    span = (datetime.date.today() - first).days
    return [first + datetime.timedelta(days=span * share // 4) for share in (1, 2, 3)]


def test_a_past_days_csv_counts_what_the_explorer_and_the_dashboard_count(client, days):
    for day in days:
        as_of = as_of_date(day)
        rows = _csv_rows(client.get(_url("csv", f"?as_of={day.isoformat()}")))
        dashboard = key_figures(tallies_for(as_of)).pledges
        explorer = explorer_search(params=QueryDict(f"as_of={day.isoformat()}"), as_of=as_of).total

        assert len(rows) == explorer == dashboard, day
        assert len({row["id"] for row in rows}) == len(rows), day


def test_a_past_days_tables_hold_together(client, days):
    for day in days:
        as_of = as_of_date(day)
        versions = published_pledge_versions(as_of)
        scope = Scope(pledges=versions, language="en", today=day, as_of=as_of)
        entities = {row[0] for row in TABLES["entities"].rows(scope)}
        involved = {*versions.values_list("lead_entity_id", flat=True),
                    *partner_versions(as_of).filter(pledge_id__in=versions.values("id")).values_list("entity_id", flat=True)}
        assert entities == involved == set(entity_versions(as_of).filter(id__in=involved).values_list("id", flat=True))
        tables = _json(client.get(_url("json", f"?as_of={day.isoformat()}")))
        pledges = {row["id"] for row in tables["pledges"]}
        for name in ("pledge_countries", "pledge_framework_nodes", "partners", "pledge_targets", "progress_reports"):
            assert {row["pledge_id"] for row in tables[name]} <= pledges, (day, name)
        versions = {row["id"]: row for row in tables["pledges"]}
        for pk in list(versions)[:5]:
            then = pledge_as_of(pk, as_of_date(day))
            assert versions[pk]["title"] == then.pledge.title, (day, pk)
            assert sorted(row["country"] for row in tables["pledge_countries"] if row["pledge_id"] == pk) == sorted(
                country.iso3 for country in then.links["countries"]), (day, pk)

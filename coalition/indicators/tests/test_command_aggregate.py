"""`coalition indicators aggregate | groups | progress`: JSON for scripts, clear errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.reference.models import CountryGroup, CountryGroupMembership


@pytest.fixture
def data(observe, countries):
    region = CountryGroup.objects.create(code="ITU-AFR", kind=CountryGroup.Kind.ITU_REGION, name_en="Africa", name_fr="Afrique")
    CountryGroupMembership.objects.create(group=region, country=countries["KEN"])
    observe("population", countries["KEN"], {2022: 50_000_000}, source="wb-wdi")
    observe("internet-use", countries["KEN"], {2022: 40}, source="wb-wdi")
    observe("internet-use", countries["KEN"], {2022: 35}, source="itu-datahub")


def run(*args) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_aggregate_prints_one_json_object_per_group_and_year(data):
    rows = json.loads(run("aggregate", "--indicator", "IT.NET.USER.ZS", "--group", "ITU-AFR", "--group", "WORLD",
                          "--year", "2022", "--format", "json"))
    assert [(row["group"], row["year"]) for row in rows] == [("ITU-AFR", 2022), ("WORLD", 2022)]
    africa = rows[0]
    assert africa["value"] == pytest.approx(40)
    assert africa["population"] == 50_000_000
    assert africa["coverage"] == 1
    assert africa["offline"] == pytest.approx(30_000_000)
    assert africa["source"] == "wb-wdi"


def test_a_series_code_selects_that_sources_values(data):
    [itu] = json.loads(run("aggregate", "--indicator", "i99H", "--group", "ITU-AFR", "--year", "2022", "--format", "json"))
    [preferred] = json.loads(run("aggregate", "--indicator", "internet-use", "--group", "ITU-AFR", "--year", "2022", "--format", "json"))
    assert itu["value"] == preferred["value"] == pytest.approx(35)
    assert itu["source"] == "itu-datahub"


def test_without_years_every_year_with_values_is_printed(data):
    rows = json.loads(run("aggregate", "--indicator", "i99H", "--group", "WORLD", "--format", "json"))
    assert [row["year"] for row in rows] == [2022]


def test_the_table_format_is_readable(data):
    text = run("aggregate", "--indicator", "internet-use", "--group", "ITU-AFR", "--year", "2022")
    assert "ITU-AFR" in text and "35.0" in text and "30,000,000" not in text
    assert "32,500,000" in text  # 50 M × (1 − 0.35)


def test_unknown_indicator_and_group_name_the_argument(data):
    with pytest.raises(CommandError, match="--indicator: Unknown indicator 'nope'"):
        run("aggregate", "--indicator", "nope", "--group", "WORLD")
    with pytest.raises(CommandError, match="--group: Unknown group NOPE"):
        run("aggregate", "--indicator", "i99H", "--group", "NOPE")


def test_groups_lists_the_world_and_every_group(data):
    rows = json.loads(run("groups", "--format", "json"))
    assert rows[0] == {"code": "WORLD", "name": "World", "kind": "world"}
    assert {"code": "ITU-AFR", "name": "Africa", "kind": "itu_region"} in rows


def test_progress_prints_each_indicator_with_a_target(data, observe, countries):
    observe("internet-use", countries["KEN"], {2015: 25}, source="itu-datahub", edition="older")  # ratio 0.51
    rows = {row["indicator"]: row for row in json.loads(run("progress", "KEN", "--format", "json"))}
    assert rows["internet-use"]["label"] == "limited"
    assert rows["internet-use"]["base_year"] == 2015
    assert rows["households-internet"]["label"] == "insufficient"
    with pytest.raises(CommandError, match="unknown ISO3 code 'XXX'"):
        run("progress", "XXX")


def test_as_of_rebuilds_a_figure_from_the_values_held_then(data, countries):
    import datetime

    from django.utils import timezone

    from coalition.indicators.models import DataSource, Edition, Observation, ObservationRevision

    # The 2022 value was 30 until a new edition revised it to 35 on 10 January 2025.
    itu = DataSource.objects.get(code="itu-datahub")
    old, new = Edition.objects.create(source=itu, label="2024-12"), Edition.objects.get(source=itu, label="test")
    Edition.objects.filter(pk=old.pk).update(first_imported_at=timezone.make_aware(datetime.datetime(2025, 1, 1)))
    Edition.objects.filter(label="test").update(first_imported_at=timezone.make_aware(datetime.datetime(2025, 1, 10)))
    current = Observation.objects.get(source=itu, year=2022)
    ObservationRevision.objects.create(indicator=current.indicator, country=countries["KEN"], year=2022, source=itu,
                                       value=30, edition=old, replaced_by=new,
                                       replaced_at=timezone.make_aware(datetime.datetime(2025, 1, 10)))
    Edition.objects.filter(source__code="wb-wdi").update(first_imported_at=timezone.make_aware(datetime.datetime(2024, 7, 1)))
    args = ("aggregate", "--indicator", "i99H", "--group", "ITU-AFR", "--year", "2022", "--format", "json")
    [then] = json.loads(run(*args, "--as-of", "2025-01-05"))
    [now] = json.loads(run(*args))
    assert (then["value"], now["value"]) == (pytest.approx(30), pytest.approx(35))

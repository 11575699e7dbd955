"""The SDMX-CSV of indicator values and group aggregates: `sdmx1` reads it against the platform's
own structure definition and finds the same values, and importing it back (through the import
runner) gives the same observations, on an empty database and, unchanged, on the same one."""

import datetime
import io

import pytest
import sdmx
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from coalition.common.actors import SYSTEM
from coalition.common.asof import as_of_date, as_of_now
from coalition.indicators.aggregates import WORLD, aggregates
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import DataSource, Edition, Indicator, Observation
from coalition.indicators.readers import reader_for
from coalition.indicators.writers import writers
from coalition.indicators.writers.sdmx_csv import SDMX_CSV, sdmx_csv_import, sdmx_csv_write
from coalition.indicators.writers.sdmx_structure import SDMX_STRUCTURE, sdmx_structure_write
from coalition.reference.models import CountryGroup, ImportRun

FIELDS = ("indicator__code", "country__iso3", "year", "source__code", "value", "is_estimate", "note", "origin",
          "edition__label")


@pytest.fixture
def values(observe, countries, country_groups):
    observe("population", countries["KEN"], {2022: 54_000_000, 2023: 55_100_000}, source="wb-wdi", edition="2024-11")
    observe("population", countries["NPL"], {2022: 30_500_000, 2023: 30_900_000}, source="wb-wdi", edition="2024-11")
    observe("internet-use", countries["KEN"], {2022: 29.5, 2023: 40.8}, source="itu-datahub", edition="2024")
    observe("internet-use", countries["NPL"], {2022: 51.6}, source="itu-datahub", edition="2023")
    observe("internet-use", countries["NPL"], {2023: 0.1 + 0.2}, source="itu-datahub", edition="2024")
    observe("internet-use", countries["KEN"], {2023: 35.0}, source="wb-wdi", edition="2024-11")
    Observation.objects.filter(country=countries["NPL"], year=2022, indicator__code="internet-use").update(
        is_estimate=True, note='ITU estimate, "rounded"; see ]]> & notes\nsecond line', origin="Nepal Telecommunications Authority")
    return countries


def _csv() -> str:
    stream = io.StringIO(newline="")
    sdmx_csv_write(stream=stream, as_of=as_of_now())
    return stream.getvalue()


def _observations() -> list[tuple]:
    return sorted(Observation.objects.values_list(*FIELDS))


def _structure_read():
    stream = io.BytesIO()
    sdmx_structure_write(stream=stream, as_of=as_of_now())
    return sdmx.read_sdmx(io.BytesIO(stream.getvalue()))


def test_sdmx1_reads_the_csv_against_the_structure_and_finds_the_same_values(values):
    structure = _structure_read()
    flow = structure.dataflow["DF_CONNECTIVITY"]
    message = sdmx.read_sdmx(io.BytesIO(_csv().encode()), format="csv", structure=flow)
    read = {}
    for dataset in message.data:
        for obs in dataset.obs:
            key = obs.dimension.get_values()
            read[tuple(str(k) for k in key)] = (float(obs.value), {k: str(v.value) for k, v in obs.attached_attribute.items()})
    for code, iso3, year, source, value, estimate, note, origin, edition in _observations():
        found, attributes = read[(code, iso3, source, str(year))]
        assert found == value
        assert attributes["OBS_STATUS"] == ("E" if estimate else "A") and attributes["EDITION"] == edition
        # sdmx1 2.28 splits the file with splitlines() before parsing it as CSV, so a quoted value
        # spanning lines (RFC 4180, as written) loses its line break there; the import keeps it.
        assert attributes.get("COMMENT", "") == note.replace("\n", "") and attributes.get("ORIGIN", "") == origin
    [world] = aggregates(indicator=Indicator.objects.get(code="internet-use"), groups=[WORLD], years=[2023])
    found, attributes = read[("internet-use", WORLD, "itu-datahub", "2023")]
    assert found == pytest.approx(world.value) and float(attributes["COVERAGE"]) == pytest.approx(world.coverage)


def test_the_structure_lists_every_code_the_csv_uses(values):
    message = _structure_read()
    lists = {cl.id: {code.id for code in cl} for cl in message.codelist.values()}
    rows = [line.split(",") for line in _csv().splitlines()[1:] if line.startswith("dataflow")]
    assert {row[3] for row in rows} <= lists["CL_INDICATOR"]
    assert {row[4] for row in rows} <= lists["CL_AREA"]
    assert {"KEN", WORLD, "LDC", "ITU-AFR"} <= {row[4] for row in rows}
    assert {row[5] for row in rows} <= lists["CL_DATA_SOURCE"]
    assert set(CountryGroup.objects.values_list("code", flat=True)) <= lists["CL_AREA"]
    dsd = message.structure["DSD_CONNECTIVITY"]
    assert [d.id for d in dsd.dimensions] == ["INDICATOR", "REF_AREA", "DATA_SOURCE", "TIME_PERIOD"]
    assert [a.id for a in dsd.attributes] == ["UNIT_MEASURE", "OBS_STATUS", "EDITION", "COMMENT", "ORIGIN", "COVERAGE"]
    assert [m.id for m in dsd.measures] == ["OBS_VALUE"]
    assert dsd.dimensions.get("REF_AREA").local_representation.enumerated.id == "CL_AREA"
    assert message.structure["DSD_CONNECTIVITY"] is message.dataflow["DF_CONNECTIVITY"].structure
    names = message.codelist["CL_AREA"]["KEN"].name
    assert names["en"] == "Kenya" and names["fr"] == "Kenya"


def test_the_same_moment_gives_the_same_structure_bytes(values):
    moment = as_of_now()
    first, second = io.BytesIO(), io.BytesIO()
    sdmx_structure_write(stream=first, as_of=moment)
    sdmx_structure_write(stream=second, as_of=moment)
    assert first.getvalue() == second.getvalue()


def test_importing_the_csv_into_an_empty_database_gives_the_same_observations(values, tmp_path):
    before = _observations()
    path = tmp_path / "connectivity.sdmx.csv"
    path.write_text(_csv(), encoding="utf-8", newline="")
    Observation.objects.all().delete()
    Edition.objects.all().delete()
    runs = sdmx_csv_import(actor=SYSTEM, path=path)
    assert [run.status for run in runs] == ["succeeded"] * 3
    assert {(run.kind, run.edition) for run in runs} == {
        ("indicators:wb-wdi", "2024-11"), ("indicators:itu-datahub", "2024"), ("indicators:itu-datahub", "2023")}
    assert _observations() == before
    assert sum(run.skipped for run in runs) > 0  # the aggregates (and the other parts' rows) are not imported


def test_importing_it_again_changes_nothing(values, tmp_path):
    before = _observations()
    path = tmp_path / "connectivity.sdmx.csv"
    path.write_text(_csv(), encoding="utf-8", newline="")
    runs = sdmx_csv_import(actor=SYSTEM, path=path)
    assert all(run.status == "succeeded" and run.created == 0 and run.updated == 0 for run in runs)
    assert sum(run.unchanged for run in runs) == len(before)
    assert _observations() == before


def test_a_bad_row_names_its_row_and_column_and_nothing_is_written(values, tmp_path):
    lines = _csv().splitlines()
    kenya = next(i for i, line in enumerate(lines) if ",KEN,itu-datahub,2023," in line)
    lines[kenya] = lines[kenya].replace(",2023,", ",20x3,")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Observation.objects.all().delete()
    [run] = sdmx_csv_import(actor=SYSTEM, path=path)
    assert run.status == ImportRun.Status.FAILED
    assert {"row": kenya + 1, "column": "TIME_PERIOD", "message": "'20x3' is not a year (expected four digits, e.g. 2023)"} in run.errors
    assert not Observation.objects.exists()
    runs = ImportRun.objects.filter(kind__startswith="indicators:")
    assert [run.status for run in runs] == ["failed"]


def test_an_unknown_source_fails_with_its_column_named(values, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text(_csv().replace(",wb-wdi,", ",nso-xyz,"), encoding="utf-8")
    Observation.objects.all().delete()
    runs = sdmx_csv_import(actor=SYSTEM, path=path)
    assert runs[-1].status == "failed" and runs[-1].errors[0]["column"] == "DATA_SOURCE"
    assert not Observation.objects.exists()


def test_only_people_who_may_add_values_import(values, tmp_path, pledger_a):
    path = tmp_path / "connectivity.sdmx.csv"
    path.write_text(_csv(), encoding="utf-8")
    with pytest.raises(PermissionDenied):
        sdmx_csv_import(actor=pledger_a, path=path)


def test_an_earlier_moment_gives_the_values_held_then(values, tmp_path):
    yesterday = as_of_date(timezone.localdate() - datetime.timedelta(days=1))
    Edition.objects.update(first_imported_at=yesterday.moment - datetime.timedelta(hours=1))
    path = tmp_path / "revised.csv"
    path.write_text("REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE\nKEN,internet-use,2023,41.0\n", encoding="utf-8")
    source = DataSource.objects.get(code="itu-datahub")
    run = indicator_import(actor=SYSTEM, reader=reader_for("sdmx-csv", path, source=source), source=source,
                           edition_label="2025")
    assert run.status == "succeeded" and run.updated == 1
    stream = io.StringIO(newline="")
    sdmx_csv_write(stream=stream, as_of=yesterday)
    then = [line for line in stream.getvalue().splitlines() if ",KEN,itu-datahub,2023," in line]
    assert [line.split(",")[7] for line in then] == ["40.8"]
    assert [line.split(",")[7] for line in _csv().splitlines() if ",KEN,itu-datahub,2023," in line] == ["41"]


def test_the_writers_describe_themselves_for_the_downloads_page():
    assert writers() == {"sdmx-csv": SDMX_CSV, "sdmx-structure": SDMX_STRUCTURE}
    assert SDMX_CSV.media_type.startswith("application/vnd.sdmx.data+csv") and not SDMX_CSV.binary
    assert SDMX_STRUCTURE.media_type.startswith("application/vnd.sdmx.structure+xml") and SDMX_STRUCTURE.binary
    assert all(str(w.title) and str(w.description) and w.file_name for w in (SDMX_CSV, SDMX_STRUCTURE))

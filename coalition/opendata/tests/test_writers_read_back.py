"""Each writer's file reads back to the rows it was given: CSV with the csv module, XLSX with
openpyxl, JSON with the json module; text that looks like a formula stays text."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from coalition.common.asof import as_of_now
from coalition.explore.registry import LiveRegistry
from coalition.opendata.datasets import DATASETS, FORMATS
from coalition.opendata.tables import TABLES, Scope
from coalition.opendata.writers import write_all
from coalition.opendata.writers.xlsx import xlsx_write

pytestmark = pytest.mark.django_db


def _scope(language="en"):
    as_of = as_of_now()
    return Scope(pledges=LiveRegistry(as_of).pledges(), language=language, today=as_of.date)


def _write(format_slug, dataset_slug, tables, language="en") -> bytes:
    stream = io.BytesIO()
    write_all(FORMATS[format_slug].write(dataset=DATASETS[dataset_slug], tables=tables, scope=_scope(language),
                                         stream=stream, as_of=timezone.now()))
    return stream.getvalue()


def test_the_csv_of_pledges_has_the_dictionary_columns_and_one_row_per_published_pledge(registry):
    text = _write("csv", "pledges", [TABLES["pledges"]]).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert list(rows[0]) == TABLES["pledges"].column_names
    published = [registry["reported"].pk, registry["other"].pk, registry["regional"].pk]
    assert sorted(int(row["id"]) for row in rows) == sorted(published)
    reported = next(row for row in rows if int(row["id"]) == registry["reported"].pk)
    assert reported["title"].startswith("'=HYPERLINK")  # a formula-looking title is defused
    assert reported["value_currency"] == "EUR" and Decimal(reported["value_usd"]) == Decimal("1053000.00")
    assert reported["value_usd_provisional"] == "false"
    assert reported["published_at"].endswith("Z")


def test_the_xlsx_has_a_sheet_per_table_and_a_dictionary_and_keeps_text_as_text(registry):
    tables = DATASETS["pledges"].tables
    workbook = openpyxl.load_workbook(io.BytesIO(_write("xlsx", "pledges", tables)), read_only=True)

    assert workbook.sheetnames == [table.name for table in tables] + ["Dictionary"]
    rows = list(workbook["pledges"].iter_rows(values_only=True))
    assert rows[0][:2] == ("Identifier", "Title")
    titles = {row[1] for row in rows[1:]}
    assert '=HYPERLINK("http://evil.example", "Click")' in titles and "Telecom pledge" in titles
    dictionary = list(workbook["Dictionary"].iter_rows(values_only=True))
    assert len(dictionary) - 1 == sum(len(table.columns) for table in tables)
    assert ("pledges", "Type", "pledge_type") == dictionary[6][:3]
    assert "programmatic = Programmatic" in dictionary[6][7]


def test_a_table_longer_than_a_sheet_continues_on_the_next_sheet(registry):
    stream = io.BytesIO()
    table = TABLES["countries"]
    write_all(xlsx_write(tables=[(table, table.rows(_scope()))], stream=stream, language="en", sheet_rows=2))

    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()), read_only=True)
    assert workbook.sheetnames == ["countries", "countries (2)", "countries (3)", "Dictionary"]
    codes = [row[0] for name in workbook.sheetnames[:3] for row in list(workbook[name].iter_rows(values_only=True))[1:]]
    assert codes == ["BTN", "FRA", "KEN", "NPL", "VUT"]


def test_the_json_document_parses_with_every_table_and_exact_numbers(registry):
    document = json.loads(_write("json", "pledges", DATASETS["pledges"].tables))

    assert document["dataset"] == "pledges" and document["language"] == "en"
    assert document["licence"]["name"] == "CC-BY-4.0"
    assert [table["name"] for table in document["tables"]] == list(DATASETS["pledges"].table_names)
    pledges = document["tables"][0]
    assert [column["name"] for column in pledges["columns"]] == TABLES["pledges"].column_names
    reported = next(row for row in pledges["rows"] if row["id"] == registry["reported"].pk)
    assert reported["value_usd"] == 1053000.0 and reported["value_currency"] == "EUR"
    reports = next(table for table in document["tables"] if table["name"] == "progress_reports")
    assert [row["verification_level"] for row in reports["rows"]] == ["documented"]


def test_in_french_titles_labels_and_names_change_and_codes_stay(registry):
    document = json.loads(_write("json", "reference", DATASETS["reference"].tables, language="fr"))

    countries = next(table for table in document["tables"] if table["name"] == "countries")
    assert {row["iso3"]: row["name"] for row in countries["rows"]}["NPL"] == "Népal"
    assert [column["name"] for column in countries["columns"]] == TABLES["countries"].column_names
    groups = next(table for table in document["tables"] if table["name"] == "country_groups")
    assert {row["code"]: row["name"] for row in groups["rows"]}["LDC"] == "Pays les moins avancés"
    csv_text = _write("csv", "pledges", [TABLES["pledges"]], language="fr").decode("utf-8")
    assert csv_text.splitlines()[0].split(",") == TABLES["pledges"].column_names
    assert ",programmatic," in csv_text

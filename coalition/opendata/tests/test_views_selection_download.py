"""An explorer selection downloads as CSV, XLSX or JSON with exactly the explorer's pledges,
streamed while it is read (a constant number of queries, whatever the number of rows)."""

import csv
import io
import json

import openpyxl
import pytest
from django.http import QueryDict, StreamingHttpResponse
from django.urls import reverse

from coalition.explore.explorer import explorer_selection
from coalition.opendata.tables import TABLES
from coalition.tests import builders

pytestmark = pytest.mark.django_db


def _csv_ids(response) -> list[int]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return sorted(int(row["id"]) for row in csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("query", ["", "?type=programmatic", "?country=NPL", "?q=telecom", "?country=KEN&country=NPL"])
def test_the_csv_selection_holds_exactly_the_explorers_pledges(client, registry, query):
    response = client.get(reverse("opendata:selection", args=["csv"]) + query)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    expected = explorer_selection(params=QueryDict(query.lstrip("?"))).pledges.values_list("pk", flat=True)
    assert _csv_ids(response) == sorted(expected)


def test_the_explorer_page_links_its_selection_downloads(client, registry):
    page = client.get(reverse("explore:explorer") + "?country=NPL").content.decode()

    assert reverse("opendata:selection", args=["csv"]) + "?country=NPL" in page
    assert reverse("opendata:selection", args=["xlsx"]) + "?country=NPL" in page


def test_reading_more_rows_costs_no_more_queries(client, registry, pledger_a, reviewer, pledge_data,
                                                 django_assert_max_num_queries):
    url = reverse("opendata:selection", args=["json"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(url).streaming_content)
    for index in range(4):
        builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"More pledge {index}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        document = json.loads(b"".join(client.get(url).streaming_content))
    assert len(document["tables"][0]["rows"]) == 7


def test_the_json_selection_holds_the_pledge_tables(client, registry):
    response = client.get(reverse("opendata:selection", args=["json"]) + "?country=NPL")

    document = json.loads(b"".join(response.streaming_content))
    assert document["dataset"] == "selection"
    assert [row["id"] for row in document["tables"][0]["rows"]] == [registry["other"].pk]
    countries = next(table for table in document["tables"] if table["name"] == "pledge_countries")
    assert {row["country"] for row in countries["rows"]} == {"NPL", "BTN"}
    assert "entities" not in {table["name"] for table in document["tables"]}


def test_the_xlsx_selection_is_a_workbook_in_the_language_asked(client, registry):
    response = client.get(reverse("opendata:selection", args=["xlsx"]) + "?type=programmatic&lang=fr")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames[0] == "pledges"
    assert len(list(workbook["pledges"].iter_rows())) == 3
    assert response["Content-Disposition"].endswith('-fr.xlsx"')
    header = next(workbook["pledges"].iter_rows(values_only=True))
    assert len(header) == len(TABLES["pledges"].columns)


def test_a_filter_the_explorer_cannot_use_is_refused_with_its_message(client, registry):
    response = client.get(reverse("opendata:selection", args=["csv"]) + "?country=XYZ")

    assert response.status_code == 400
    assert "XYZ" in response.content.decode()


def test_an_unknown_format_is_not_found(client, registry):
    assert client.get(reverse("opendata:selection", args=["pdf"])).status_code == 404

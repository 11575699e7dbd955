"""The API's progress roll-ups answer exactly what the selectors compute, for the registry, each
part of it and every framework node, and name the parameter at fault. The registry and its
hand-computed table are in `test_progress_rollup`."""

import datetime
import json

from ninja.responses import NinjaJSONEncoder

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.progress import progress_by_node, progress_rollup
from coalition.explore.progress_api import rollup_fields
from coalition.explore.tallies import Scope
from coalition.explore.tests.test_progress_rollup import registry  # noqa: F401 (fixture)


def as_json(value):
    return json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def test_anyone_reads_the_registrys_progress_with_what_it_covers(client, registry):  # noqa: F811
    response = client.get("/api/v1/progress/")

    assert response.status_code == 200 and "ETag" in response
    body = response.json()
    assert (body["pledges"], body["without_report"], body["reported"], body["unweighted"]) == (6, 1, 5, 2)
    assert (body["share_delivered"], body["attainment"], body["weighting"]) == ("0.5750", "0.5083", "usd")
    assert body["weighting_label"] == "Weighted by value in US dollars"
    assert body["notes"][0].startswith("1 of 6 pledges has no accepted report")
    assert (body["scope"], body["node"], body["as_of"]) == (None, None, as_of_now().date.isoformat())


def test_each_part_answers_what_the_selector_computes(client, registry, countries, country_groups, entity_a):  # noqa: F811
    parts = [
        ({"country": "ken"}, {"scope": Scope(country=countries["KEN"])}, "country:KEN", None),
        ({"group": "LDC"}, {"scope": Scope(group=country_groups["LDC"])}, "group:LDC", None),
        ({"entity": entity_a.pk}, {"scope": Scope(entity=entity_a)}, f"entity:{entity_a.pk}", None),
        ({"campaign": "wtdc-22"}, {"scope": Scope(campaign=registry["wtdc"])}, "campaign:wtdc-22", None),
        ({"node": "p2c:FA1", "country": "KEN"}, {"node": registry["FA1"], "scope": Scope(country=countries["KEN"])},
         "country:KEN", "p2c:FA1"),
    ]
    day = as_of_date(datetime.date(2024, 11, 19))
    found, expected = [], []
    for query, part, scope, node in parts:
        for as_of in ("", "2024-11-19"):
            body = client.get("/api/v1/progress/", {**query, "as_of": as_of, "weighting": "equal"}).json()
            found.append(body)
            rollup = progress_rollup(day if as_of else as_of_now(), weighting="equal", **part)
            expected.append({**as_json(rollup_fields(rollup)), "scope": scope, "node": node})

    assert found == expected


def test_every_node_answers_what_the_selector_computes_in_the_frameworks_order(client, registry):  # noqa: F811
    body = client.get("/api/v1/progress/nodes/", {"weighting": "equal", "initiative": "p2c"}).json()

    expected = progress_by_node(as_of_now(), weighting="equal", initiative=registry["FA1"].initiative)
    assert [row["node"] for row in body["results"]] == ["p2c:FA1", "p2c:FA1.1", "p2c:FA2"]
    assert [(row["parent"], row["depth"]) for row in body["results"]] == [(None, 0), ("p2c:FA1", 1), (None, 0)]
    assert [{k: v for k, v in row.items() if k in rollup_fields(r)} for row, (_n, r) in zip(body["results"], expected)] == [
        as_json(rollup_fields(r)) for _n, r in expected]
    assert (body["weighting"], body["as_of"]) == ("equal", as_of_now().date.isoformat())


def test_a_bad_parameter_is_a_400_problem_naming_it(client, registry):  # noqa: F811
    asked = [
        ("/api/v1/progress/", {"weighting": "population"}, ["weighting"]),
        ("/api/v1/progress/", {"as_of": "yesterday"}, ["as_of"]),
        ("/api/v1/progress/", {"country": "XXX"}, ["country"]),
        ("/api/v1/progress/", {"group": "G77"}, ["group"]),
        ("/api/v1/progress/", {"entity": "999999"}, ["entity"]),
        ("/api/v1/progress/", {"entity": "one"}, ["entity"]),
        ("/api/v1/progress/", {"entity": "99999999999999999999"}, ["entity"]),
        ("/api/v1/progress/", {"campaign": "nowhere"}, ["campaign"]),
        ("/api/v1/progress/", {"node": "FA1"}, ["node"]),
        ("/api/v1/progress/", {"country": "KEN", "group": "LDC"}, ["country", "group"]),
        ("/api/v1/progress/nodes/", {"initiative": "nothing"}, ["initiative"]),
        ("/api/v1/progress/nodes/", {"weighting": "USD"}, ["weighting"]),
    ]

    answers = [(path, query, client.get(path, query)) for path, query, _fields in asked]

    assert [(path, query, r.status_code, r["Content-Type"], sorted(r.json()["errors"])) for path, query, r in answers] == [
        (path, query, 400, "application/problem+json", fields) for path, query, fields in asked]


def test_the_openapi_document_describes_both_reads(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    parameters = {p["name"]: p for p in paths["/api/v1/progress/"]["get"]["parameters"]}
    assert {"as_of", "weighting", "country", "group", "entity", "campaign", "node", "lang"} <= set(parameters)
    assert "/api/v1/progress/nodes/" in paths
    assert paths["/api/v1/progress/"]["get"]["tags"] == ["Progress"]

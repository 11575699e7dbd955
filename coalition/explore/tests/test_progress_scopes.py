"""Each part of the registry rolls up its own pledges: a country, a group, an entity (lead or
partner), a campaign, a framework node with the nodes below it, and a node within a scope. The
registry and its hand-computed table are in `test_progress_rollup`."""

from decimal import Decimal

from coalition.common.asof import as_of_now
from coalition.explore.progress import progress_rollup
from coalition.explore.tallies import Scope
from coalition.explore.tests.test_progress_rollup import registry  # noqa: F401 (fixture)


def scope_of(name, registry, countries, country_groups, entity_a, entity_b) -> Scope | None:
    return {
        "Kenya": Scope(country=countries["KEN"]),
        "the LDCs": Scope(group=country_groups["LDC"]),
        "the SIDS": Scope(group=country_groups["SIDS"]),
        "entity A": Scope(entity=entity_a),
        "entity B": Scope(entity=entity_b),
        "WTDC-22": Scope(campaign=registry["wtdc"]),
    }.get(name)


# (scope, node): pledges, without report, unweighted, share by value, attainment by value,
# share equally, attainment equally.
EXPECTED = {
    ("Kenya", None): (2, 1, 0, "0.5000", "0.5000", "0.5000", "0.5000"),  # A; F unreported
    ("the LDCs", None): (3, 1, 0, "0.5000", "0.4600", "0.5000", "0.4500"),  # A, C (NPL), F; (300k + 160k) / 1m
    ("the SIDS", None): (1, 0, 0, "0.8000", "0.7500", "0.8000", "0.7500"),  # B
    ("entity A", None): (4, 1, 1, "0.5000", "0.4600", "0.3000", "0.4000"),  # A, C, E, F led
    ("entity B", None): (3, 0, 1, "0.8000", "0.5167", "0.5000", "0.7167"),  # B, D led; C as partner
    ("WTDC-22", None): (2, 0, 1, "0.5000", "0.5000", "0.3000", "0.4000"),  # A, E
    (None, "FA1"): (4, 1, 0, "0.5750", "0.5083", "0.6500", "0.5500"),  # B on FA1; A, C on FA1.1 below; F
    (None, "FA1.1"): (2, 0, 0, "0.5000", "0.4600", "0.5000", "0.4500"),  # A, C: nothing from the parent
    (None, "FA2"): (2, 0, 2, None, None, "0.1500", "0.6500"),  # D, E
    ("Kenya", "FA1"): (2, 1, 0, "0.5000", "0.5000", "0.5000", "0.5000"),  # A, F
    ("entity B", "FA1"): (2, 0, 0, "0.8000", "0.5167", "0.8000", "0.5750"),  # B, C
}


def decimal(value):
    return None if value is None else Decimal(value)


def test_each_part_of_the_registry_rolls_up_its_own_pledges(registry, countries, country_groups, entity_a, entity_b):
    """One test over every part (the registry is built once): the mismatches are listed together."""
    found = {}
    for scope, node in EXPECTED:
        part = {"scope": scope_of(scope, registry, countries, country_groups, entity_a, entity_b),
                "node": registry[node] if node else None}
        by_value = progress_rollup(as_of_now(), **part)
        equally = progress_rollup(as_of_now(), weighting="equal", **part)
        assert (by_value.scope, by_value.node, equally.unweighted) == (part["scope"], part["node"], 0)
        assert (equally.pledges, equally.without_report) == (by_value.pledges, by_value.without_report)
        found[(scope, node)] = (by_value.pledges, by_value.without_report, by_value.unweighted,
                                by_value.share_delivered, by_value.attainment, equally.share_delivered,
                                equally.attainment)

    expected = {part: (*row[:3], *map(decimal, row[3:])) for part, row in EXPECTED.items()}
    assert {part: (row, expected[part]) for part, row in found.items() if row != expected[part]} == {}

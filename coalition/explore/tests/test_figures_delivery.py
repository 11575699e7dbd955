"""Pledged against disbursed in the key figures: each pledge counted once, with the disbursement of
its latest accepted report (the same report the pledge's own page shows)."""

from decimal import Decimal

from coalition.common.asof import as_of_now
from coalition.explore.figures import key_figures
from coalition.explore.tallies import tallies_count
from coalition.reporting.selectors import pledge_delivery
from coalition.reporting.tests.test_reporting_delivery import YEAR, _report, pledges  # noqa: F401 (fixture)


def test_the_key_figures_equal_the_hand_computed_sums(pledges, pledger_a, reviewer):
    euro, dollar, novalue = pledges
    _report(euro, pledger_a, reviewer, year=YEAR, amount="300000", currency="EUR", actual="180")
    _report(euro, pledger_a, reviewer, year=YEAR - 1, amount="100000", currency="EUR", actual="50")  # older period
    _report(dollar, pledger_a, reviewer, year=YEAR, amount="125000.50", currency="USD", actual="10")
    _report(novalue, pledger_a, reviewer, year=YEAR, amount=None, currency=None, actual="2", accept=False)

    key = key_figures(tallies_count(as_of_now()))

    assert key.pledges == 3 and key.pledges_with_value == 2 and key.reported == 2
    assert key.value_usd == Decimal("1553000.00")  # 1,053,000 + 500,000
    assert key.disbursed_usd == Decimal("440900.50")  # 315,900 (latest EUR report) + 125,000.50
    assert round(key.disbursed_share, 4) == Decimal("0.2839")  # 440,900.50 / 1,553,000
    assert pledge_delivery(euro).disbursed_usd == Decimal("315900.00")


def test_an_empty_registry_has_no_share(db):
    key = key_figures(tallies_count(as_of_now()))

    assert (key.pledges, key.value_usd, key.disbursed_usd, key.disbursed_share) == (0, Decimal(0), Decimal(0), None)

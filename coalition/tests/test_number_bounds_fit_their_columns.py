"""Every bound on a number that enters the platform fits the column that stores it, so whatever
the services accept is saved and read back on SQLite and PostgreSQL alike."""

import pytest

from coalition.pledges.models import Pledge, PledgeTarget
from coalition.pledges.validation import MONEY, PERCENT, QUANTITY, USD_COLUMN_MAXIMUM
from coalition.reporting.models import ProgressReport, ProgressReportTarget


@pytest.mark.parametrize(("model", "name", "bound"), [
    (Pledge, "value_amount", MONEY),
    (PledgeTarget, "target_value", QUANTITY),
    (PledgeTarget, "baseline_value", QUANTITY),
    (ProgressReport, "disbursed_amount", MONEY),
    (ProgressReport, "share_delivered", PERCENT),
    (ProgressReportTarget, "actual_value", QUANTITY),
])
def test_each_bound_fits_the_column_that_stores_it(model, name, bound):
    column = model._meta.get_field(name)

    assert column.decimal_places == bound.places
    assert len(str(int(bound.maximum))) <= column.max_digits - column.decimal_places


@pytest.mark.parametrize(("model", "name"), [(Pledge, "value_usd"), (ProgressReport, "disbursed_usd")])
def test_the_usd_columns_hold_every_converted_amount_accepted(model, name):
    column = model._meta.get_field(name)

    assert len(str(int(USD_COLUMN_MAXIMUM - 1))) == column.max_digits - column.decimal_places

"""Table fingerprints: one canonical text per value whichever driver read it, and a hash that
ignores the order rows come back in but not what they hold."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from coalition.common.backups.fingerprints import TableFingerprint, canonical, fingerprint, tables_compare


def test_values_as_sqlite_stores_them_and_as_postgresql_returns_them_read_the_same():
    # (what Django leaves in SQLite, read without conversion; what psycopg returns from PostgreSQL)
    pairs = [
        (1, True),
        (0, False),
        (250000, Decimal("250000.00")),
        (1.053, Decimal("1.0530")),
        ("2026-01-31 10:15:00.123456", datetime.datetime(2026, 1, 31, 11, 15, 0, 123456, tzinfo=ZoneInfo("Europe/Paris"))),
        ("2026-01-31 10:15:00", datetime.datetime(2026, 1, 31, 10, 15, tzinfo=datetime.UTC)),
        ("2026-01-31", datetime.date(2026, 1, 31)),
        ("0f8fad5bd9cb469fa16570867728950e", uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")),
        (90_000_000, datetime.timedelta(seconds=90)),
        (b"\x00\xff", memoryview(b"\x00\xff")),
    ]
    for stored, returned in pairs:
        assert canonical(stored) == canonical(returned), (stored, returned)
    assert canonical(None) is None
    assert canonical("Népal") == "Népal"


def test_row_order_does_not_change_a_table_s_hash_but_any_value_does():
    columns = ["id", "name", "value"]
    rows = [(1, "Kenya", Decimal("1.50")), (2, "Nepal", None)]
    same = fingerprint(columns, [rows])

    assert fingerprint(columns, [list(reversed(rows[:1])), rows[1:]]) == same
    assert fingerprint(columns, [[rows[1], rows[0]]]) == same
    assert same.rows == 2
    assert fingerprint(columns, [[(1, "Kenya", Decimal("1.5")), (2, "Nepal", None)]]) == same
    assert fingerprint(columns, [[(1, "Kenya", Decimal("1.51")), (2, "Nepal", None)]]) != same
    assert fingerprint(columns, [[(1, "Kenya", None), (2, "Nepal", Decimal("1.50"))]]) != same
    assert fingerprint(["id", "value", "name"], [rows]) != same
    assert fingerprint(columns, [rows + rows[:1]]).content_hash != same.content_hash


def test_a_comparison_names_each_table_that_differs():
    found = {"a": TableFingerprint(rows=1, content_hash="x"), "b": TableFingerprint(rows=2, content_hash="y"),
             "c": TableFingerprint(rows=3, content_hash="z"), "extra": TableFingerprint(rows=0, content_hash="0")}
    expected = {"a": {"rows": 1, "content_hash": "x"}, "b": {"rows": 3, "content_hash": "y"},
                "c": {"rows": 3, "content_hash": "other"}, "gone": {"rows": 1, "content_hash": "g"}}

    assert tables_compare(expected=expected, found=found) == [
        "table gone is missing",
        "table extra is not in the backup",
        "table b has 2 rows, the backup 3",
        "table c holds different rows than the backup",
    ]

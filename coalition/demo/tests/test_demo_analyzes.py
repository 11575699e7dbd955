"""The demo generator ends with ANALYZE of what it wrote (DESIGN: bulk loads end with ANALYZE):
without statistics the planner takes minutes over 100,000 pledges."""

import pytest
from django.db import connection
from django.utils import timezone

from coalition.demo.generate import demo_generate
from coalition.reference.testing import load_reference_fixture


def _forget_statistics() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1")


def _analyzed_tables(since) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze >= %s", [since])
        else:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_tables_the_generator_filled_have_fresh_statistics():
    load_reference_fixture()
    _forget_statistics()
    started = timezone.now()

    demo_generate(pledges=50, seed=2)

    assert {"pledges_pledge", "pledges_historicalpledge", "pledges_progressreport",
            "pledges_historicalpledge_beneficiary_countries", "pledges_entity"} <= _analyzed_tables(started)

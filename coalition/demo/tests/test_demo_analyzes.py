"""The demo generator ends with ANALYZE of what it wrote (DESIGN: bulk loads end with ANALYZE):
without statistics the planner takes minutes over 100,000 pledges."""

import pytest
from django.utils import timezone

from coalition.common.tests.planner import statistics_forget, tables_analyzed_since
from coalition.demo.generate import demo_generate
from coalition.reference.testing import load_reference_fixture


@pytest.mark.django_db(transaction=True)
def test_the_tables_the_generator_filled_have_fresh_statistics():
    load_reference_fixture()
    statistics_forget()
    started = timezone.now()

    demo_generate(pledges=50, seed=2)

    assert {"pledges_pledge", "pledges_historicalpledge", "pledges_progressreport",
            "pledges_historicalpledge_beneficiary_countries", "pledges_entity"} <= tables_analyzed_since(started)

"""The registry at a moment reads one version per object, even when several share their instant."""

import datetime

import time_machine

from coalition.common.asof import as_of_date
from coalition.explore.registry import published_pledge_versions
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Pledge
from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update
from coalition.tests.builders import publish


def test_versions_written_at_the_same_instant_count_once_and_the_last_one_wins(pledger_a, reviewer, pledge_data):
    with time_machine.travel(datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        pledge = publish(pledger_a, reviewer, pledge_data)
        revision = revision_start(actor=pledger_a, pledge=pledge, reason="More schools.")
        revision_update(actor=pledger_a, revision=revision,
                        data={**revision_data_load(revision.data), "title": "Connect 800 rural schools"})
        revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))

    published = Pledge.history.filter(id=pledge.pk, status="published")
    versions = published_pledge_versions(as_of_date(datetime.date(2024, 3, 2)))

    assert published.count() == 2 and len({v.history_date for v in published}) == 1
    assert [v.title for v in versions] == ["Connect 800 rural schools"]
    assert Pledge.history.filter(id=pledge.pk).latest_of_each().count() > 1  # what simple-history would keep

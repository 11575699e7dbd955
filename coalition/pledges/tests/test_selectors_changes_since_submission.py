"""What changed between two submissions of a pledge, for the reviewer, and the pledger's edits
since the last one."""

import datetime

from coalition.pledges.content import pledge_data as pledge_current
from coalition.pledges.selectors import pledge_changes_since_submission
from coalition.pledges.services import pledge_create, pledge_request_changes, pledge_submit, pledge_update


def test_the_reviewer_sees_what_changed_since_the_previous_submission(pledger_a, reviewer, pledge_data, countries):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge = pledge_submit(actor=pledger_a, pledge=pledge)
    assert pledge_changes_since_submission(pledge) is None
    pledge_request_changes(actor=reviewer, pledge=pledge, comment="Name the counties; add Nepal?")
    pledge_update(actor=pledger_a, pledge=pledge, data={
        **pledge_current(pledge), "title": "Connect 500 schools in Turkana",
        "scope": "multi_country", "beneficiary_countries": [countries["KEN"], countries["NPL"]], "end_date": datetime.date(2027, 6, 30),
    })

    pledge.refresh_from_db()
    pending = pledge_changes_since_submission(pledge)
    assert pending.pending is True
    pledge_submit(actor=pledger_a, pledge=pledge)
    pledge.refresh_from_db()
    resubmission = pledge_changes_since_submission(pledge)

    assert resubmission.pending is False
    assert resubmission.changes == pending.changes
    assert {change.field: (change.old, change.new) for change in resubmission.changes} == {
        "title": ("Connect 500 rural schools", "Connect 500 schools in Turkana"),
        "end_date": ("31 December 2026", "30 June 2027"),
        "scope": ("One country", "Several countries"),
        "beneficiary_countries": ("Kenya", "Kenya; Nepal"),
    }

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from coalition.accounts.models import SentNotification
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition

PUBLISHED = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


def _run(*args) -> str:
    out = StringIO()
    call_command("reminders", "send", *args, stdout=out)
    return out.getvalue()


def test_the_command_is_a_dry_run_by_default_and_lists_what_would_be_sent(published, pledger_a):
    output = _run("--date", "2025-03-01")

    assert pledger_a.email in output and "1 reminder(s) would be sent" in output
    assert mail.outbox == []
    assert not SentNotification.objects.exists()


def test_an_explicit_dry_run_sends_nothing_either(published, pledger_a):
    output = _run("--date", "2025-03-01", "--dry-run")

    assert pledger_a.email in output and "1 reminder(s) would be sent" in output
    assert mail.outbox == []
    assert not SentNotification.objects.exists()


def test_send_queues_the_task_which_sends_once(published, pledger_a):
    _run("--date", "2025-03-01", "--send")
    output = _run("--date", "2025-03-02", "--send")

    assert [m.to for m in mail.outbox] == [[pledger_a.email]]
    assert "0 reminder(s) would be sent" not in output and "Queued" in output


def test_a_malformed_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "1 March")

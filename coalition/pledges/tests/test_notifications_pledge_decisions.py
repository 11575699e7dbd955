"""Every move of a pledge reaches the people concerned: an inbox entry always, an e-mail in their
language when their preferences take it, sent only once the move is committed."""

import pytest
from django.core.exceptions import ValidationError

from coalition.accounts.models import Notification, NotificationKind
from coalition.accounts.services import notification_preferences_update
from coalition.pledges.content import pledge_data as pledge_current
from coalition.pledges.content import revision_data_load
from coalition.pledges.services import (
    pledge_assign,
    pledge_create,
    pledge_publish,
    pledge_request_changes,
    pledge_submit,
    pledge_update,
    revision_request_changes,
    revision_start,
    revision_submit,
    revision_update,
)


@pytest.fixture
def submitted(pledger_a, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    return pledge_submit(actor=pledger_a, pledge=pledge)


def test_changes_requested_reach_the_pledger_with_the_comment_and_a_link(
    pledger_a, reviewer, submitted, mailoutbox, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        pledge_request_changes(actor=reviewer, pledge=submitted, comment="Say which counties the schools are in.")

    entry = Notification.objects.get(recipient=pledger_a)
    assert entry.kind == NotificationKind.REVIEW_DECISION
    assert entry.title == f"Changes requested on your pledge: {submitted.title}"
    assert entry.body == "Say which counties the schools are in."
    assert entry.url == f"/pledges/{submitted.pk}/preview/"
    assert entry.actor == reviewer
    [mail] = mailoutbox
    assert mail.to == [pledger_a.email]
    assert mail.subject == entry.title
    assert "Say which counties the schools are in." in mail.body
    assert f"http://127.0.0.1:8000/pledges/{submitted.pk}/preview/" in mail.body


def test_the_email_is_written_in_the_recipients_language(
    pledger_a, reviewer, submitted, mailoutbox, django_capture_on_commit_callbacks,
):
    pledger_a.preferred_language = "fr"
    pledger_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        pledge_publish(actor=reviewer, pledge=submitted)

    [mail] = mailoutbox
    assert mail.subject == f"Votre engagement est publié : {submitted.title}"
    assert "Le secrétariat a publié l’engagement" in mail.body
    assert Notification.objects.get(recipient=pledger_a).title == mail.subject


def test_someone_who_turned_decision_emails_off_still_finds_it_in_the_inbox(
    pledger_a, reviewer, submitted, mailoutbox, django_capture_on_commit_callbacks,
):
    notification_preferences_update(actor=pledger_a, user=pledger_a, review_decision=False)

    with django_capture_on_commit_callbacks(execute=True):
        pledge_publish(actor=reviewer, pledge=submitted)

    assert mailoutbox == []
    assert Notification.objects.filter(recipient=pledger_a, kind=NotificationKind.REVIEW_DECISION).count() == 1


def test_a_refused_move_tells_nobody(pledger_a, reviewer, submitted, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        pledge_request_changes(actor=reviewer, pledge=submitted, comment="  ")

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_nothing_is_mailed_before_the_move_commits(pledger_a, reviewer, submitted, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pledge_publish(actor=reviewer, pledge=submitted)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_resubmission_reaches_the_reviewer_who_asked_for_changes(
    pledger_a, reviewer, submitted, pledge_data, mailoutbox, django_capture_on_commit_callbacks,
):
    pledge_request_changes(actor=reviewer, pledge=submitted, comment="Name the counties.")
    pledge_update(actor=pledger_a, pledge=submitted, data={**pledge_current(submitted), "title": "Connect 500 schools in Turkana"})

    with django_capture_on_commit_callbacks(execute=True):
        pledge_submit(actor=pledger_a, pledge=submitted)

    entry = Notification.objects.get(recipient=reviewer)
    assert entry.kind == NotificationKind.REVIEW_WORK
    assert entry.title == "Pledge submitted for review: Connect 500 schools in Turkana"
    assert entry.url == f"/review/pledges/{submitted.pk}/"
    assert [mail.to for mail in mailoutbox] == [[reviewer.email]]


def test_a_first_submission_goes_to_the_assigned_reviewer_only(pledger_a, reviewer, administrator, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_assign(actor=reviewer, pledge=pledge, reviewer=reviewer)

    pledge_submit(actor=pledger_a, pledge=pledge)

    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [reviewer.email]


def test_the_person_acting_is_not_told_of_their_own_move(administrator, pledge_data, entity_a):
    pledge = pledge_create(actor=administrator, data=pledge_data)
    pledge_submit(actor=administrator, pledge=pledge)
    pledge_assign(actor=administrator, pledge=pledge, reviewer=administrator)

    pledge_publish(actor=administrator, pledge=pledge)

    assert not Notification.objects.filter(recipient=administrator).exists()


def test_a_change_to_a_published_pledge_goes_to_its_reviewer_and_comes_back_to_the_pledger(
    pledger_a, reviewer, published,
):
    revision = revision_start(actor=pledger_a, pledge=published, reason="Two more counties.")
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**revision_data_load(revision.data), "title": "Connect 700 rural schools"})

    revision_submit(actor=pledger_a, revision=revision)
    told = Notification.objects.get(recipient=reviewer)
    assert (told.kind, told.title) == (NotificationKind.REVIEW_WORK,
                                       f"Change 1 submitted for review: {published.title}")
    revision_request_changes(actor=reviewer, revision=revision, comment="Which counties?")

    back = Notification.objects.get(recipient=pledger_a, title__startswith="Changes requested on your proposed")
    assert (back.body, back.url) == ("Which counties?", f"/pledges/{published.pk}/revision/")

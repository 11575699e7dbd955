"""A pledge's conversation: who writes in it, who is told, and what is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.accounts.models import Notification, NotificationKind
from coalition.pledges.models import Comment
from coalition.pledges.services import comment_post, pledge_create, pledge_request_changes, pledge_submit


@pytest.fixture
def returned(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_request_changes(actor=reviewer, pledge=pledge, comment="Which counties?")


def test_the_pledgers_answer_reaches_the_reviewer_who_asked(pledger_a, reviewer, returned, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(actor=pledger_a, pledge=returned, body="Turkana and Marsabit.\n")

    assert comment.body == "Turkana and Marsabit."
    entry = Notification.objects.get(recipient=reviewer, kind=NotificationKind.COMMENT)
    assert entry.body == "Turkana and Marsabit."
    assert entry.url == f"/review/pledges/{returned.pk}/"
    assert [mail.to for mail in mailoutbox] == [[reviewer.email]]
    assert "Turkana and Marsabit." in mailoutbox[0].body


def test_the_reviewers_comment_reaches_the_pledgers(pledger_a, reviewer, returned):
    comment_post(actor=reviewer, pledge=returned, body="Thanks; also give a date.")

    entry = Notification.objects.get(recipient=pledger_a, kind=NotificationKind.COMMENT)
    assert entry.url == f"/pledges/{returned.pk}/preview/"


def test_a_country_focal_point_comments_on_a_published_pledge_for_their_country(
    country_focal, published, pledger_a, reviewer,
):
    comment_post(actor=country_focal, pledge=published, body="Our regulator can help with spectrum.")

    assert set(Notification.objects.filter(kind=NotificationKind.COMMENT).values_list("recipient__email", flat=True)) == {
        pledger_a.email, reviewer.email}
    comment_post(actor=pledger_a, pledge=published, body="Thank you, we will write.")
    assert Notification.objects.get(recipient=country_focal).url == f"/pledges/{published.pk}/discussion/"


def test_a_country_focal_point_cannot_read_drafts_or_pledges_for_other_countries(
    country_focal, pledger_a, pledge_data, countries, reviewer,
):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    with pytest.raises(PermissionDenied):
        comment_post(actor=country_focal, pledge=draft, body="Hello")

    elsewhere = pledge_create(actor=pledger_a, data={**pledge_data, "beneficiary_countries": [countries["NPL"]]})
    pledge_submit(actor=pledger_a, pledge=elsewhere)
    with pytest.raises(PermissionDenied):
        comment_post(actor=country_focal, pledge=elsewhere, body="Hello")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["pledger_b", "newcomer", "anonymous"])
def test_people_outside_the_pledge_are_refused(request, who, returned):
    with pytest.raises(PermissionDenied):
        comment_post(actor=request.getfixturevalue(who), pledge=returned, body="Hello")


def test_an_empty_or_overlong_comment_is_refused_naming_the_field(pledger_a, returned):
    with pytest.raises(ValidationError) as empty:
        comment_post(actor=pledger_a, pledge=returned, body=" \n ")
    with pytest.raises(ValidationError) as long:
        comment_post(actor=pledger_a, pledge=returned, body="x" * 5001)

    assert empty.value.message_dict == {"body": ["Write your comment first."]}
    assert long.value.message_dict == {"body": ["Keep the comment under 5,000 characters; it has 5,001."]}
    assert not Comment.objects.exists()

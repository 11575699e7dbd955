"""Every text people type has a length limit, refused with a message naming the field and saying
how long the text is, in the services (so every interface gets it); a request too large to read
gets a page in the site's layout instead of Django's bare 400."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.entities.models import AccessRequest
from coalition.entities.services import access_request_decline, access_request_join_entity, entity_register
from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create, pledge_request_changes, pledge_submit, revision_start
from coalition.pledges.validation import pledge_clean
from coalition.reporting.validation import report_clean

HUGE = "x" * 10_482_000


def _refusal(call, field):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict[field][0]


def test_a_ten_megabyte_title_is_refused_saying_how_long_it_is(pledge_data):
    message = _refusal(lambda: pledge_clean(data={**pledge_data, "title": HUGE}), "title")

    assert message == "Keep the title to 300 characters at most; it has 10,482,000."


@pytest.mark.parametrize("change, field, limit", [
    ({"description": "d" * 20_001}, "description", "20,000"),
    ({"targets": [{"description": "Schools", "unit": "u" * 81, "target_value": "5"}]}, "targets[0].unit", "80"),
    ({"partners": [{"entity": None, "role": "r" * 121}]}, "partners[0].role", "120"),
])
def test_each_text_of_a_pledge_has_its_limit(pledge_data, change, field, limit):
    message = _refusal(lambda: pledge_clean(data={**pledge_data, **change}), field)

    assert f"to {limit} characters at most" in message


def test_the_pledge_form_says_it_too(client, pledger_a, entity_a, initiative):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:new"), {
        "lead_entity": entity_a.pk, "initiative": initiative.pk, "title": "t" * 5000, "pledge_type": "programmatic"})

    assert response.context["form"].errors["title"] == ["Keep the title to 300 characters at most; it has 5,000."]


@pytest.mark.parametrize("field, item", [("narrative", None), ("challenges", None),
                                         ("evidence[0].title", {"kind": "link", "title": "t" * 301,
                                                                "url": "https://example.org/"}),
                                         ("evidence[0].url", {"kind": "link", "title": "Page",
                                                              "url": "https://example.org/" + "p" * 1000})])
def test_each_text_of_a_report_has_its_limit(published, field, item):
    data = {"period_end": "2025-12-31", "narrative": "n", "challenges": "c", "targets": [], "evidence": []}
    if item:
        data["evidence"] = [item]
    else:
        data[field] = "w" * 20_001

    message = _refusal(lambda: report_clean(pledge=published, data=data), field)

    assert "characters at most; it has" in message


def test_a_decision_comment_has_its_limit(pledger_a, reviewer, pledge_data):
    pledge = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))

    message = _refusal(lambda: pledge_request_changes(actor=reviewer, pledge=pledge, comment="c" * 20_001), "comment")

    assert message == "Keep the comment to 20,000 characters at most; it has 20,001."


def test_the_reason_for_a_revision_has_its_limit(pledger_a, published):
    message = _refusal(lambda: revision_start(actor=pledger_a, pledge=published, reason="r" * 2001), "reason")

    assert "to 2,000 characters at most; it has 2,001" in message


def test_entities_and_access_requests_have_their_limits(reviewer, newcomer, entity_a):
    assert "to 20,000 characters" in _refusal(lambda: entity_register(actor=reviewer, data={
        "name": "Rural Connect", "entity_type": "civil_society", "description": "d" * 20_001}), "description")
    assert "to 2,000 characters" in _refusal(
        lambda: access_request_join_entity(actor=newcomer, entity=entity_a, message="m" * 2001), "message")
    request = access_request_join_entity(actor=newcomer, entity=entity_a, message="Please")
    assert "to 2,000 characters" in _refusal(
        lambda: access_request_decline(actor=reviewer, access_request=request, reason="r" * 2001), "reason")
    assert AccessRequest.objects.get(pk=request.pk).status == AccessRequest.Status.PENDING


def test_a_form_too_large_to_read_gets_a_page_in_the_site_s_layout(client, settings, pledger_a, entity_a, initiative):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:new"), {
        "lead_entity": entity_a.pk, "initiative": initiative.pk, "pledge_type": "programmatic",
        "title": "t" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code == 413
    assert "This form was too large to send" in response.text
    assert "Skip to main content" in response.text and "My account" in response.text  # the layout, signed in
    assert not Pledge.objects.exists()

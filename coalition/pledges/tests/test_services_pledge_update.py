import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.pledges.content import pledge_data as current_content
from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit, pledge_update


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


def test_an_edit_writes_one_version_with_the_user(draft, pledger_a):
    data = current_content(draft)
    data["title"] = "Connect 800 rural schools"

    pledge_update(actor=pledger_a, pledge=draft, data=data)

    latest = Pledge.history.filter(id=draft.pk).latest("history_date")
    assert Pledge.history.filter(id=draft.pk).count() == 2
    assert latest.title == "Connect 800 rural schools"
    assert latest.history_user == pledger_a


def test_saving_unchanged_content_writes_no_version(draft, pledger_a):
    pledge_update(actor=pledger_a, pledge=draft, data=current_content(draft))

    assert Pledge.history.filter(id=draft.pk).count() == 1


def test_another_entitys_focal_point_cannot_edit(draft, pledger_b):
    data = current_content(draft)
    data["title"] = "Hijacked"

    with pytest.raises(PermissionDenied):
        pledge_update(actor=pledger_b, pledge=draft, data=data)

    draft.refresh_from_db()
    assert draft.title == "Connect 500 rural schools"


def test_a_focal_point_cannot_move_a_pledge_to_an_entity_they_do_not_represent(draft, pledger_a, entity_b):
    data = current_content(draft)
    data["lead_entity"] = entity_b

    with pytest.raises(PermissionDenied):
        pledge_update(actor=pledger_a, pledge=draft, data=data)

    draft.refresh_from_db()
    assert draft.lead_entity_id != entity_b.pk


def test_a_published_pledge_is_not_edited_in_place(draft, pledger_a, reviewer):
    pledge_submit(actor=pledger_a, pledge=draft)
    pledge_publish(actor=reviewer, pledge=draft)
    data = current_content(draft)
    data["title"] = "Changed after publication"

    with pytest.raises(ValidationError) as error:
        pledge_update(actor=pledger_a, pledge=draft, data=data)

    assert "status" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.title == "Connect 500 rural schools"


def test_invalid_edits_leave_the_pledge_and_its_targets_untouched(draft, pledger_a):
    data = current_content(draft)
    data["targets"] = [{"description": "", "unit": "schools", "target_value": "10"}]
    data["title"] = "Should not be saved"

    with pytest.raises(ValidationError) as error:
        pledge_update(actor=pledger_a, pledge=draft, data=data)

    assert list(error.value.message_dict) == ["targets[0].description"]
    draft.refresh_from_db()
    assert draft.title == "Connect 500 rural schools"
    assert [t.description for t in draft.targets.all()] == ["Schools connected"]

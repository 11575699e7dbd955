import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.accounts.models import CountryFocalPoint
from coalition.common.versions import EditConflict
from coalition.knowledge import services
from coalition.knowledge.models import GoodPractice, PracticeSearchDocument
from coalition.knowledge.workflow import PRACTICE_WORKFLOW
from coalition.pledges.services import pledge_create


def test_a_pledger_s_focal_point_shares_a_draft_for_its_entity(draft, pledger_a, countries):
    assert (draft.status, draft.shared_by, draft.entity.name) == ("draft", "pledger", "Ministry of ICT, Kenya")
    assert draft.created_by == pledger_a
    assert list(draft.countries.all()) == [countries["NPL"]]
    version = GoodPractice.history.get(id=draft.pk)
    assert (version.history_user, version.history_change_reason) == (pledger_a, "created")
    assert list(version.countries.values_list("country_id", flat=True)) == [countries["NPL"].pk]
    assert "telecentres" in PracticeSearchDocument.objects.get(practice=draft).document


def test_another_entity_s_focal_point_cannot_share_for_it(pledger_b, pledger_fields):
    with pytest.raises(PermissionDenied, match="Ministry of ICT, Kenya"):
        services.practice_create(actor=pledger_b, data=pledger_fields)
    assert not GoodPractice.objects.exists()


def test_a_country_s_focal_point_shares_for_its_country_only(country_focal, practice_fields, countries):
    practice = services.practice_create(actor=country_focal, data={
        **practice_fields, "shared_by": "member_state", "country": countries["KEN"]})
    assert (practice.shared_by, practice.country, practice.entity) == ("member_state", countries["KEN"], None)
    with pytest.raises(PermissionDenied, match="Nepal"):
        services.practice_create(actor=country_focal, data={
            **practice_fields, "shared_by": "member_state", "country": countries["NPL"]})


def test_only_reviewers_share_for_the_secretariat(reviewer, pledger_a, country_focal, practice_fields):
    practice = services.practice_create(actor=reviewer, data={**practice_fields, "shared_by": "secretariat"})
    assert (practice.shared_by, practice.entity, practice.country) == ("secretariat", None, None)
    for person in (pledger_a, country_focal):
        with pytest.raises(PermissionDenied, match="secretariat"):
            services.practice_create(actor=person, data={**practice_fields, "shared_by": "secretariat"})


def test_a_reviewer_cannot_share_on_behalf_of_an_entity_it_does_not_act_for(reviewer, pledger_fields):
    with pytest.raises(PermissionDenied):
        services.practice_create(actor=reviewer, data=pledger_fields)


def test_an_administrator_shares_for_any_entity_or_country(administrator, practice_fields, entity_b, countries):
    assert services.practice_create(actor=administrator, data={**practice_fields, "shared_by": "pledger",
                                                              "entity": entity_b}).entity == entity_b
    assert services.practice_create(actor=administrator, data={**practice_fields, "shared_by": "member_state",
                                                              "country": countries["BTN"]}).country == countries["BTN"]


def test_anonymous_people_share_nothing(anonymous, pledger_fields):
    with pytest.raises(PermissionDenied):
        services.practice_create(actor=anonymous, data=pledger_fields)


def test_a_sharer_without_its_entity_or_country_is_refused_naming_the_field(pledger_a, practice_fields):
    with pytest.raises(ValidationError) as error:
        services.practice_create(actor=pledger_a, data={**practice_fields, "shared_by": "pledger"})
    assert list(error.value.message_dict) == ["entity"]
    with pytest.raises(ValidationError) as error:
        services.practice_create(actor=pledger_a, data={**practice_fields, "shared_by": "member_state"})
    assert list(error.value.message_dict) == ["country"]
    with pytest.raises(ValidationError) as error:
        services.practice_create(actor=pledger_a, data={**practice_fields, "shared_by": "anyone"})
    assert list(error.value.message_dict) == ["shared_by"]


def test_bad_fields_are_refused_each_by_name_and_nothing_is_written(pledger_a, pledger_fields):
    with pytest.raises(ValidationError) as error:
        services.practice_create(actor=pledger_a, data={
            **pledger_fields, "title": "  ", "contact_email": "not an address", "countries": [999999],
            "summary": "x" * 1001, "pledges": ["abc"]})
    assert set(error.value.message_dict) == {"title", "contact_email", "countries", "summary", "pledges"}
    assert not GoodPractice.objects.exists()


def test_only_published_pledges_are_linked(pledger_a, pledger_fields, pledge_data, published):
    unpublished = pledge_create(actor=pledger_a, data=pledge_data)
    with pytest.raises(ValidationError) as error:
        services.practice_create(actor=pledger_a, data={**pledger_fields, "pledges": [published, unpublished]})
    assert "published" in error.value.message_dict["pledges"][0]
    practice = services.practice_create(actor=pledger_a, data={**pledger_fields, "pledges": [published.pk]})
    assert list(practice.pledges.all()) == [published]


def test_a_draft_needs_only_a_title_but_submitting_needs_the_story(pledger_a, entity_a):
    practice = services.practice_create(actor=pledger_a, data={"shared_by": "pledger", "entity": entity_a,
                                                               "title": "Solar kiosks"})
    with pytest.raises(ValidationError) as error:
        services.practice_move(actor=pledger_a, practice=practice, action="submit")
    assert set(error.value.message_dict) == {"summary", "problem", "approach", "results"}
    practice.refresh_from_db()
    assert practice.status == "draft"


def test_the_full_review_cycle(draft, pledger_a, reviewer):
    services.practice_move(actor=pledger_a, practice=draft, action="submit")
    services.practice_move(actor=reviewer, practice=draft, action="request_changes", comment="Add the cost per user.")
    draft.refresh_from_db()
    assert draft.status == "changes_requested"
    data = services.practice_data(draft)
    services.practice_update(actor=pledger_a, practice=draft, data={**data, "cost": "USD 30 per user"})
    services.practice_move(actor=pledger_a, practice=draft, action="submit")
    practice = services.practice_move(actor=reviewer, practice=draft, action="publish")
    assert practice.status == "published"
    assert practice.published_at >= practice.submitted_at
    assert list(practice.transitions.values_list("action", "actor")) == [
        ("submit", pledger_a.pk), ("request_changes", reviewer.pk), ("submit", pledger_a.pk), ("publish", reviewer.pk)]
    assert pledger_a.notifications.count() == 2  # both decisions were told to the author


def test_changes_and_rejection_need_a_comment(submitted, reviewer):
    for action in ("request_changes", "reject"):
        with pytest.raises(ValidationError) as error:
            services.practice_move(actor=reviewer, practice=submitted, action=action, comment=" ")
        assert list(error.value.message_dict) == ["comment"]
    rejected = services.practice_move(actor=reviewer, practice=submitted, action="reject", comment="Not a practice.")
    assert rejected.status == "rejected"


def test_authors_cannot_publish_and_reviewers_cannot_submit_for_a_pledger(draft, submitted, pledger_a, reviewer):
    with pytest.raises(PermissionDenied):
        services.practice_move(actor=pledger_a, practice=submitted, action="publish")
    assert [a.value for a in PRACTICE_WORKFLOW.choices_for(submitted, pledger_a)] == ["withdraw"]
    assert [a.value for a in PRACTICE_WORKFLOW.choices_for(submitted, reviewer)] == [
        "publish", "request_changes", "reject"]


def test_a_published_practice_is_withdrawn_by_its_author_and_not_edited(published_practice, pledger_a, pledger_b):
    with pytest.raises(ValidationError) as error:
        services.practice_update(actor=pledger_a, practice=published_practice,
                                 data=services.practice_data(published_practice))
    assert list(error.value.message_dict) == ["status"]
    with pytest.raises(PermissionDenied):
        services.practice_move(actor=pledger_b, practice=published_practice, action="withdraw")
    assert services.practice_move(actor=pledger_a, practice=published_practice, action="withdraw").status == "withdrawn"


def test_another_entity_s_focal_point_cannot_edit(draft, pledger_b):
    with pytest.raises(PermissionDenied):
        services.practice_update(actor=pledger_b, practice=draft, data=services.practice_data(draft))


def test_an_edit_records_one_version_and_rewrites_the_search_document(draft, pledger_a, countries):
    data = services.practice_data(draft)
    services.practice_update(actor=pledger_a, practice=draft, data={**data, "countries": [countries["BTN"]]})
    draft.refresh_from_db()
    assert draft.version == 2
    assert GoodPractice.history.filter(id=draft.pk).count() == 2
    assert "bhoutan" in PracticeSearchDocument.objects.get(practice=draft).document
    services.practice_update(actor=pledger_a, practice=draft, data=services.practice_data(draft))
    assert GoodPractice.history.filter(id=draft.pk).count() == 2  # nothing changed, nothing recorded


def test_a_save_over_someone_else_s_later_change_is_refused(draft, pledger_a, entity_a):
    other = services.practice_data(draft)
    services.practice_update(actor=pledger_a, practice=draft, data={**other, "title": "Telecentres, first year"},
                             seen_version=1)
    with pytest.raises(EditConflict):
        services.practice_update(actor=pledger_a, practice=draft, data={**other, "cost": "less"}, seen_version=1)


def test_a_country_focal_point_appointed_later_may_act_on_its_country_s_practices(
        member_state_focal, administrator, practice_fields, countries):
    practice = services.practice_create(actor=administrator, data={
        **practice_fields, "shared_by": "member_state", "country": countries["KEN"]})
    with pytest.raises(PermissionDenied):
        services.practice_move(actor=member_state_focal, practice=practice, action="submit")
    CountryFocalPoint.objects.create(user=member_state_focal, country=countries["KEN"], approved_at=practice.created_at)
    assert services.practice_move(actor=member_state_focal, practice=practice, action="submit").status == "submitted"


def test_only_reviewers_assign_reviews(submitted, reviewer, pledger_a):
    assert services.practice_assign(actor=reviewer, practice=submitted, reviewer=reviewer).assigned_to == reviewer
    with pytest.raises(PermissionDenied):
        services.practice_assign(actor=pledger_a, practice=submitted, reviewer=reviewer)
    with pytest.raises(ValidationError):
        services.practice_assign(actor=reviewer, practice=submitted, reviewer=pledger_a)

"""Meetings are recorded by the secretariat through `services.meetings`: who may, what is checked,
and the versions a save leaves behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coalition.actionplan.models import Meeting, MeetingDocument, Plan
from coalition.actionplan.services.meetings import (
    meeting_delete,
    meeting_document_add,
    meeting_document_remove,
    meeting_save,
)
from coalition.common.actors import SYSTEM
from coalition.common.intervals import current_at
from coalition.pledges.models import Campaign


@pytest.fixture
def plan(other_initiative):
    return Plan.objects.create(initiative=other_initiative, slug="ap-is-2022-2026", name_en="AP-IS Action Plan 2022–2026",
                               short_name="AP-IS 2022–2026", start_year=2022, end_year=2026)


def fields(**changes):
    data = {
        "slug": "ministerial-conference-2024", "kind": "ministerial",
        "name_en": "Asia-Pacific Ministerial Conference on Digital Inclusion and Transformation",
        "name_fr": "Conférence ministérielle Asie-Pacifique sur l'inclusion et la transformation numériques",
        "start_date": datetime.date(2024, 9, 3), "end_date": datetime.date(2024, 9, 5), "place": "Astana",
        "host_country": "NPL", "countries": ["NPL", "BTN"], "agenda": ["Opening", "Declaration"],
        "decisions": "Endorsed the declaration.",
    }
    return {**data, **changes}


def test_a_reviewer_records_a_meeting_with_its_countries(reviewer, countries, plan):
    meeting = meeting_save(actor=reviewer, data=fields(plan="ap-is-2022-2026"))

    assert meeting.pk and meeting.plan == plan and meeting.host_country == countries["NPL"]
    assert sorted(meeting.countries.values_list("iso3", flat=True)) == ["BTN", "NPL"]
    assert meeting.agenda == "Opening\nDeclaration"
    current = Meeting.history.filter(current_at(timezone.now()), id=meeting.pk).get()
    assert current.history_user == reviewer
    assert sorted(current.countries.values_list("country__iso3", flat=True)) == ["BTN", "NPL"]


def test_an_administrator_records_a_meeting_too(administrator, countries):
    assert meeting_save(actor=administrator, data=fields()).pk


@pytest.mark.parametrize("persona", ["pledger_a", "country_focal", "newcomer", "anonymous"])
def test_a_pledger_a_focal_point_or_a_stranger_cannot_save_a_meeting(request, persona, countries):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied, match="reviewers and the administrators"):
        meeting_save(actor=actor, data=fields())
    assert not Meeting.objects.exists()


def test_a_pledger_cannot_change_delete_or_add_documents_to_a_meeting(reviewer, pledger_a, countries):
    meeting = meeting_save(actor=reviewer, data=fields())

    with pytest.raises(PermissionDenied):
        meeting_save(actor=pledger_a, data=fields(name_en="Renamed"), meeting=meeting)
    with pytest.raises(PermissionDenied):
        meeting_document_add(actor=pledger_a, meeting=meeting, title="A report")
    with pytest.raises(PermissionDenied):
        meeting_delete(actor=pledger_a, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.name_en.startswith("Asia-Pacific") and not meeting.documents.exists()


def test_the_end_cannot_come_before_the_start(reviewer, countries):
    with pytest.raises(ValidationError) as error:
        meeting_save(actor=reviewer, data=fields(end_date=datetime.date(2024, 9, 1)))

    assert "cannot end (2024-09-01) before it starts (2024-09-03)" in error.value.message_dict["end_date"][0]


def test_a_slug_already_taken_is_refused_naming_it(reviewer, countries):
    meeting_save(actor=reviewer, data=fields())

    with pytest.raises(ValidationError) as error:
        meeting_save(actor=reviewer, data=fields(name_en="Another"))

    assert "already has the address “ministerial-conference-2024”" in error.value.message_dict["slug"][0]
    assert Meeting.objects.count() == 1


def test_a_meeting_keeps_its_own_slug_when_edited(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())

    meeting_save(actor=reviewer, data=fields(place="Astana and online"), meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.place == "Astana and online"


def test_countries_are_named_by_iso3_and_an_unknown_code_is_refused(reviewer, countries):
    with pytest.raises(ValidationError) as error:
        meeting_save(actor=reviewer, data=fields(countries=["NPL", "XYZ", "NP"], host_country="ZZZ"))

    messages = error.value.message_dict
    assert any("“XYZ” is not a country code" in m for m in messages["countries"])
    assert any("“NP” is not a country code" in m for m in messages["countries"])
    assert "“ZZZ” is not a country code" in messages["host_country"][0]


def test_lowercase_codes_and_country_objects_are_accepted(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields(countries=["npl", countries["VUT"]], host_country=countries["BTN"]))

    assert sorted(meeting.countries.values_list("iso3", flat=True)) == ["NPL", "VUT"]


@pytest.mark.parametrize("change,field", [
    ({"slug": ""}, "slug"), ({"slug": "with spaces"}, "slug"), ({"kind": "party"}, "kind"), ({"name_en": ""}, "name_en"),
    ({"start_date": None}, "start_date"), ({"start_date": "3/9/2024"}, "start_date"), ({"url": "not a link"}, "url"),
    ({"plan": "no-such-plan"}, "plan"), ({"campaign": "no-such-campaign"}, "campaign"), ({"online": "maybe"}, "online"),
    ({"name_en": "x" * 301}, "name_en"),
])
def test_bad_input_is_refused_on_its_field(reviewer, countries, change, field):
    with pytest.raises(ValidationError) as error:
        meeting_save(actor=reviewer, data=fields(**change))

    assert field in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_kind_may_be_written_as_its_label(reviewer, countries):
    assert meeting_save(actor=reviewer, data=fields(kind="Ministerial conference")).kind == "ministerial"


def test_a_campaign_is_linked_by_its_slug(reviewer, countries, other_initiative):
    campaign = Campaign.objects.create(initiative=other_initiative, slug="escap-ministerial-2024", name_en="Ministerial 2024",
                                       start_date=datetime.date(2024, 9, 3))

    assert meeting_save(actor=reviewer, data=fields(campaign="escap-ministerial-2024")).campaign == campaign


def test_saving_what_is_already_there_writes_no_version(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())
    before = Meeting.history.filter(id=meeting.pk).count()

    meeting_save(actor=reviewer, data=fields(), meeting=meeting)

    assert Meeting.history.filter(id=meeting.pk).count() == before


def test_a_change_of_countries_alone_writes_one_version_with_them(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())
    before = Meeting.history.filter(id=meeting.pk).count()

    meeting_save(actor=reviewer, data=fields(countries=["KEN", "FRA", "VUT"]), meeting=meeting)

    versions = Meeting.history.filter(id=meeting.pk).order_by("-history_date", "-history_id")
    assert versions.count() == before + 1
    assert sorted(versions.first().countries.values_list("country__iso3", flat=True)) == ["FRA", "KEN", "VUT"]


def test_a_documents_list_replaces_the_documents_and_none_leaves_them(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields(documents=[
        {"symbol": "ESCAP/CICTSTI/2022/6", "title": "Report"}, {"title": "Declaration", "url": "https://example.org/d"},
    ]))
    assert [d.title for d in meeting.documents.order_by("order")] == ["Report", "Declaration"]

    meeting_save(actor=reviewer, data=fields(), meeting=meeting)
    assert meeting.documents.count() == 2

    meeting_save(actor=reviewer, data=fields(documents=[{"title": "Declaration"}]), meeting=meeting)
    assert list(meeting.documents.values_list("title", "url")) == [("Declaration", "")]


def test_a_document_without_a_title_is_refused_naming_its_position(reviewer, countries):
    with pytest.raises(ValidationError) as error:
        meeting_save(actor=reviewer, data=fields(documents=[{"title": "Report"}, {"symbol": "A/1"}]))

    assert "Document 2: the title is missing." in error.value.message_dict["documents"]


def test_documents_are_added_in_order_and_removed(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())

    first = meeting_document_add(actor=reviewer, meeting=meeting, title="Provisional agenda", symbol="ESCAP/MCDIT/2024/1")
    second = meeting_document_add(actor=reviewer, meeting=meeting, title="Declaration", url="https://example.org/decl")
    meeting_document_remove(actor=reviewer, document=first)

    assert second.order > first.order
    assert list(meeting.documents.values_list("title", flat=True)) == ["Declaration"]


def test_a_document_symbol_is_listed_once_per_meeting(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())
    meeting_document_add(actor=reviewer, meeting=meeting, title="Agenda", symbol="ESCAP/MCDIT/2024/1")

    with pytest.raises(ValidationError) as error:
        meeting_document_add(actor=reviewer, meeting=meeting, title="Agenda again", symbol="escap/mcdit/2024/1")

    assert "already lists the document" in error.value.message_dict["symbol"][0]
    assert MeetingDocument.objects.count() == 1


def test_a_document_needs_a_title_and_a_real_link(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())

    with pytest.raises(ValidationError) as error:
        meeting_document_add(actor=reviewer, meeting=meeting, title=" ", url="javascript:alert(1)")

    assert set(error.value.message_dict) == {"title", "url"}


def test_a_deleted_meeting_leaves_its_versions(reviewer, countries):
    meeting = meeting_save(actor=reviewer, data=fields())
    pk = meeting.pk

    meeting_delete(actor=reviewer, meeting=meeting)

    assert not Meeting.objects.filter(pk=pk).exists()
    assert Meeting.history.filter(id=pk).order_by("-history_date", "-history_id").first().history_type == "-"


def test_commands_save_as_the_system_and_sign_nobody(countries):
    meeting = meeting_save(actor=SYSTEM, data=fields())

    assert Meeting.history.filter(id=meeting.pk).first().history_user is None

"""The meetings file: the shipped one loads, a reload updates in place with versions only for what
changed, and a bad file is refused whole with errors naming the meeting, the field and the line."""

import datetime
import textwrap

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from coalition.actionplan.models import Meeting, Plan
from coalition.actionplan.services.meetings import MeetingsLoader, meetings_load
from coalition.common.actors import SYSTEM
from coalition.reference.models import Country, ImportRun


@pytest.fixture
def asia(countries):
    made = {
        iso3: Country.objects.create(iso3=iso3, iso2=iso2, numeric=numeric, name_en=name)
        for iso3, iso2, numeric, name in [("THA", "TH", "764", "Thailand"), ("KOR", "KR", "410", "Republic of Korea"),
                                          ("KAZ", "KZ", "398", "Kazakhstan")]
    }
    return {**countries, **made}


@pytest.fixture
def plan(other_initiative):
    return Plan.objects.create(initiative=other_initiative, slug="ap-is-2022-2026", name_en="AP-IS Action Plan 2022–2026",
                               short_name="AP-IS 2022–2026", start_year=2022, end_year=2026)


def write(tmp_path, text: str):
    path = tmp_path / "meetings.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


ONE = """\
meetings:
  - slug: sc-9
    kind: steering_committee
    name_en: Steering Committee, ninth session
    start_date: 2025-12-04
    end_date: 2025-12-05
    host_country: NPL
    countries: [NPL, BTN]
    agenda:
      - Opening
      - Draft plan
    documents:
      - symbol: X/1
        title: Provisional agenda
"""


def test_the_shipped_file_loads_with_the_real_meetings(asia, plan):
    run = meetings_load(actor=SYSTEM)

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert run.created == Meeting.objects.count() >= 6
    astana = Meeting.objects.get(slug="ministerial-conference-2024")
    assert (astana.start_date, astana.end_date, astana.place, astana.host_country.iso3) == (
        datetime.date(2024, 9, 3), datetime.date(2024, 9, 5), "Astana", "KAZ")
    assert not astana.illustrative and astana.campaign is None
    committee = Meeting.objects.get(slug="cictsti-4")
    assert (committee.start_date, committee.end_date, committee.online) == (datetime.date(2022, 8, 30), datetime.date(2022, 9, 1), True)
    assert committee.plan == plan
    assert Meeting.objects.get(slug="ministerial-conference-2022").start_date == datetime.date(2022, 11, 10)
    assert Meeting.objects.get(slug="apis-steering-committee-9").start_date == datetime.date(2025, 12, 4)
    assert Meeting.objects.get(slug="commission-82").illustrative


def test_every_shipped_meeting_with_invented_text_says_so(asia, plan):
    meetings_load(actor=SYSTEM)

    for meeting in Meeting.objects.filter(illustrative=True):
        assert "illustrative" in meeting.summary_en and "illustratif" in meeting.summary_fr, meeting.slug
    for meeting in Meeting.objects.filter(illustrative=False):
        assert meeting.start_date <= datetime.date(2025, 12, 31), meeting.slug


def test_reloading_the_same_file_changes_nothing_and_writes_no_version(asia, plan):
    meetings_load(actor=SYSTEM)
    versions = Meeting.history.count()

    run = meetings_load(actor=SYSTEM)

    assert (run.created, run.updated, run.unchanged) == (0, 0, Meeting.objects.count())
    assert Meeting.history.count() == versions


def test_reloading_a_changed_file_updates_in_place_and_versions_only_what_changed(tmp_path, countries):
    meetings_load(path=write(tmp_path, ONE + """\
  - slug: other
    kind: other
    name_en: Another meeting
    start_date: 2026-01-10
"""), actor=SYSTEM)
    meeting = Meeting.objects.get(slug="sc-9")
    versions = {slug: Meeting.history.filter(slug=slug).count() for slug in ("sc-9", "other")}

    run = meetings_load(path=write(tmp_path, ONE.replace("Draft plan", "Draft plan 2027–2030") + """\
  - slug: other
    kind: other
    name_en: Another meeting
    start_date: 2026-01-10
"""), actor=SYSTEM)

    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert Meeting.objects.get(slug="sc-9").pk == meeting.pk
    assert Meeting.objects.get(slug="sc-9").agenda == "Opening\nDraft plan 2027–2030"
    assert Meeting.history.filter(slug="sc-9").count() == versions["sc-9"] + 1
    assert Meeting.history.filter(slug="other").count() == versions["other"]


def test_a_document_change_alone_counts_as_an_update(tmp_path, countries):
    meetings_load(path=write(tmp_path, ONE), actor=SYSTEM)

    run = meetings_load(path=write(tmp_path, ONE.replace("Provisional agenda", "Annotated provisional agenda")), actor=SYSTEM)

    assert run.updated == 1
    assert Meeting.objects.get(slug="sc-9").documents.get().title == "Annotated provisional agenda"


def test_a_bad_entry_refuses_the_whole_file_naming_the_meeting_the_field_and_the_line(tmp_path, countries):
    path = write(tmp_path, ONE + """\
  - slug: broken
    kind: committee
    name_en: Broken
    start_date: 2026-05-02
    end_date: 2026-05-01
    countries: [NPL, XXX]
""")

    run = meetings_load(path=path, actor=SYSTEM)

    assert run.status == ImportRun.Status.FAILED
    assert not Meeting.objects.exists()
    errors = {(error["row"], error["column"]): error["message"] for error in run.errors}
    assert "Meeting “broken”: The meeting cannot end (2026-05-01) before it starts (2026-05-02)." == errors[(19, "end_date")]
    assert errors[(20, "countries")].startswith("Meeting “broken”: “XXX” is not a country code")


def test_an_entry_without_a_slug_is_named_by_its_position(tmp_path, countries):
    run = meetings_load(path=write(tmp_path, ONE + """\
  - kind: committee
    name_en: No address
    start_date: 2026-05-02
"""), actor=SYSTEM)

    assert run.status == ImportRun.Status.FAILED
    assert [(e["row"], e["column"]) for e in run.errors] == [(15, "slug")]
    assert run.errors[0]["message"].startswith("Entry 2: ")


def test_unknown_fields_and_a_slug_used_twice_are_refused(tmp_path, countries):
    run = meetings_load(path=write(tmp_path, ONE + """\
  - slug: sc-9
    kind: committee
    name_en: Again
    start_date: 2026-05-02
    venue: Bangkok
"""), actor=SYSTEM)

    messages = {e["column"]: e["message"] for e in run.errors}
    assert "used twice in the file (first at line 2)" in messages["slug"]
    assert "unknown field" in messages["venue"]
    assert not Meeting.objects.exists()


def test_a_plan_not_loaded_yet_is_named(tmp_path, countries):
    run = meetings_load(path=write(tmp_path, ONE.replace("kind: steering_committee", "kind: steering_committee\n    plan: ap-is-2027-2030")), actor=SYSTEM)

    assert run.errors[0]["column"] == "plan"
    assert "No action plan has the slug “ap-is-2027-2030”: load the plans first." in run.errors[0]["message"]


@pytest.mark.parametrize("text,message", [
    ("meetings: [\n  - slug: x\n", "is not valid YAML"),
    ("- just\n- a list of words\n", "Entry 1: expected a meeting"),
    ("title: no meetings here\n", "must list its meetings under `meetings:`"),
    ("", "must list its meetings"),
])
def test_a_file_that_is_not_a_meetings_file_is_refused_with_a_message(tmp_path, db, text, message):
    run = meetings_load(path=write(tmp_path, text), actor=SYSTEM)

    assert run.status == ImportRun.Status.FAILED
    assert message in run.errors[0]["message"]


@pytest.mark.parametrize("persona", ["pledger_a", "country_focal", "anonymous"])
def test_only_the_secretariat_or_a_command_loads_the_file(request, persona, countries):
    with pytest.raises(PermissionDenied):
        meetings_load(actor=request.getfixturevalue(persona))


def test_a_reviewer_loading_the_file_is_recorded_on_the_run_and_the_versions(tmp_path, reviewer, countries):
    run = meetings_load(path=write(tmp_path, ONE), actor=reviewer)

    assert run.started_by == reviewer
    assert Meeting.history.filter(slug="sc-9").first().history_user == reviewer


def test_the_command_loads_a_file_and_reports_the_counts(tmp_path, countries, capsys):
    call_command("meetings", "load", str(write(tmp_path, ONE)))

    assert "meetings.yaml: 1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Meeting.objects.filter(slug="sc-9").exists()


def test_the_command_fails_on_a_bad_file_listing_its_errors(tmp_path, countries, capsys):
    with pytest.raises(CommandError, match="refused, nothing loaded"):
        call_command("meetings", "load", str(write(tmp_path, ONE.replace("NPL, BTN", "NPL, QQQ"))))

    assert "line 8, countries: Meeting “sc-9”: “QQQ” is not a country code" in capsys.readouterr().err


def test_the_command_loads_the_shipped_file_by_default():
    assert MeetingsLoader.default_path.name == "meetings.yaml" and MeetingsLoader.default_path.is_file()

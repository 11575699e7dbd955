"""The note by the secretariat to a governing body: its figures equal the selectors' for the same
date (the Commission's: the session page's `plan_report`; TDAG's: the dashboard's), paragraphs are
numbered 1 to n through the note, the last section puts issues to the body, placeholders are said
to be placeholders, the session is the meeting page's, French builds read French, an unknown body
is refused naming `body`, and the same date gives the same bytes after a later change.

The plan's records are written at fixed moments: the plan, a pillar, an action and a deliverable
at 20 % on 10 January 2025, a workshop with Nepal's participants published on 1 February 2025, the
deliverable at 80 % on 1 June 2025, and France's participants published on 1 July 2025.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coalition.actionplan.models import Meeting, MeetingKind
from coalition.actionplan.selectors.governing_body import plan_report
from coalition.actionplan.tests import plan_builders
from coalition.actionplan.tests.activity_fixtures import publish_participation, record_activity
from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401
from coalition.knowledge.selectors.library import published_versions
from coalition.reports.builders import report_build
from coalition.reports.builders.governing_body import bodies
from coalition.reports.document import Figures, Paragraph, report_data
from coalition.reports.tests.test_builders_annual_report import expected, figures_of, registry  # noqa: F401

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
EARLY, LATER = datetime.date(2025, 3, 1), datetime.date(2025, 8, 1)


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def plan_records(other_initiative, reviewer, countries, country_groups, entity_a):
    plan = plan_builders.plan(other_initiative, "ap-is-2022-2026", when="2025-01-10",
                              name_en="AP-IS Action Plan 2022–2026", name_fr="Plan d'action AP-IS 2022-2026")
    action = plan_builders.action(plan_builders.pillar(plan, "P1", when="2025-01-10"), "1.1", when="2025-01-10")
    deliverable = plan_builders.deliverable(action, "1.1.a", progress=20, when="2025-01-10")
    plan_builders.update(deliverable, when="2025-06-01", progress=80)
    with at(2025, 2, 1, 10):
        workshop = record_activity(reviewer, reviewer, {
            "kind": "workshop", "title": "Regional workshop on broadband mapping", "description": "Two days.",
            "start_date": datetime.date(2025, 1, 20), "end_date": datetime.date(2025, 1, 21), "place": "Bangkok",
            "host_country": None, "online": False, "organisers": [entity_a], "partners": [],
            "countries": [countries["NPL"]], "actions": [action], "framework_nodes": [], "outputs": "",
        })
        publish_participation(reviewer, reviewer, workshop, countries["NPL"], women=3, men=1)
    with at(2025, 7, 1, 10):
        publish_participation(reviewer, reviewer, workshop, countries["FRA"], women=10)
    Meeting.objects.create(slug="ministerial-conference-2024", kind=MeetingKind.MINISTERIAL, plan=plan,
                           name_en="Ministerial Conference on Digital Inclusion and Transformation",
                           start_date=datetime.date(2024, 9, 3), place="Astana")
    Meeting.objects.create(slug="commission-82", kind=MeetingKind.COMMISSION, plan=plan,
                           name_en="Economic and Social Commission for Asia and the Pacific, eighty-second session",
                           name_fr="Commission économique et sociale pour l'Asie et le Pacifique, "
                                   "quatre-vingt-deuxième session",
                           start_date=datetime.date(2026, 4, 20), illustrative=True)
    return plan


def build(body, as_of, language="en"):
    return report_build(kind="governing-body", as_of=as_of, language=language, params={"body": body})


def numbers(report) -> list[int]:
    """The paragraphs' numbers in reading order (a section's blocks, then its subsections)."""
    found = []

    def walk(sections):
        for section in sections:
            found.extend(block.number for block in section.blocks if isinstance(block, Paragraph))
            walk(section.sections)

    walk(report.sections)
    return found


def plan_figures(plan, as_of) -> dict:
    """The note's figures from the selectors the Commission's session page reads."""
    report = plan_report(plan=plan, as_of=as_of)
    participation = report.participation
    return {
        "plan:progress": report.progress.share, "plan:actions": report.progress.actions,
        "plan:actions_covered": report.progress.actions_covered, "activities": report.activities,
        "participants": participation.total, "participants:women_share": participation.women_share,
        "participants:countries": participation.countries,
        **{f"participants:{group.code}:share": group.share for group in participation.groups},
        "measures": report.measures, "measures:countries": report.measure_countries,
        "good_practices": published_versions(as_of).count(),
    }


@pytest.mark.parametrize("day", [EARLY, LATER, None])
def test_the_commissions_note_figures_equal_the_session_pages_for_the_same_date(plan_records, day):
    as_of = as_of_now() if day is None else as_of_date(day)

    shown = figures_of(build("escap-commission-82", as_of))

    assert {key: figure.value for key, figure in shown.items()} == plan_figures(plan_records, as_of)


def test_the_commissions_note_follows_the_records_between_two_dates(plan_records):
    early, later = (figures_of(build("escap-commission-82", as_of_date(day))) for day in (EARLY, LATER))

    assert (early["plan:progress"].value, later["plan:progress"].value) == (plan_figures(plan_records, as_of_date(EARLY))[
        "plan:progress"], plan_figures(plan_records, as_of_date(LATER))["plan:progress"])
    assert early["plan:progress"].value < later["plan:progress"].value
    assert (early["participants"].value, later["participants"].value) == (4, 14)
    assert (early["participants:countries"].value, later["participants:countries"].value) == (1, 2)


def test_the_tdag_note_figures_equal_the_dashboards_for_the_same_date(registry):
    for as_of in (as_of_date(datetime.date(2025, 3, 15)), as_of_now()):
        shown = figures_of(build("itu-tdag", as_of))

        wanted = expected(as_of)
        assert {key: (shown[key].value, shown[key].previous) for key in wanted} == wanted


@pytest.mark.parametrize("body", ["escap-commission-82", "itu-tdag"])
def test_paragraphs_are_numbered_one_to_n_through_the_note(plan_records, registry, body):
    report = build(body, as_of_now())

    assert numbers(report) == list(range(1, len(numbers(report)) + 1))
    assert len(numbers(report)) > 10
    assert all(paragraph.number is None for paragraph in report.summary)


def test_the_last_section_puts_issues_to_the_body(plan_records, registry):
    commission, tdag = build("escap-commission-82", as_of_now()), build("itu-tdag", as_of_now())

    assert commission.sections[-1].title == "Issues for the consideration of the Commission"
    assert tdag.sections[-1].title == "Issues for the consideration of TDAG"
    assert commission.sections[-1].blocks[0].text.startswith("The Commission may wish")


def test_the_session_is_the_meeting_pages_and_placeholders_say_so(plan_records):
    report = build("escap-commission-82", as_of_now())

    meeting = Meeting.objects.get(slug="commission-82")
    assert report.session == meeting.name
    assert report.symbol == "ESCAP/82/… (placeholder)"
    assert report.agenda_item.endswith("(placeholder)")
    assert "placeholder" in {source.key for source in report.sources}
    assert all(body.flagged("symbol") for body in bodies().values())


def test_a_french_build_writes_french(plan_records):
    report = build("escap-commission-82", as_of_date(LATER), "fr")

    assert report.language == "fr"
    assert report.title.startswith("Progrès réalisés dans la mise en œuvre de la résolution 79/10")
    assert report.session == "Commission économique et sociale pour l'Asie et le Pacifique, quatre-vingt-deuxième session"
    assert report.sections[-1].title == "Questions soumises à l’examen de la Commission"
    assert "1 août 2025" in report.sections[0].blocks[1].text


def test_an_unknown_body_is_refused_naming_the_field(db):
    for params in ({"body": "general-assembly"}, {}):
        with pytest.raises(ValidationError) as error:
            report_build(kind="governing-body", as_of=as_of_now(), language="en", params=params)
        assert list(error.value.message_dict) == ["body"]
        assert "escap-commission-82" in error.value.message_dict["body"][0]


def test_the_same_date_gives_the_same_bytes_even_after_a_later_change(plan_records, reviewer, countries):
    first = report_data(build("escap-commission-82", as_of_date(LATER)))
    workshop = plan_records.actions.get().activities.get()

    publish_participation(reviewer, reviewer, workshop, countries["BTN"], men=5)

    assert report_data(build("escap-commission-82", as_of_date(LATER))) == first
    assert report_data(build("escap-commission-82", as_of_now())) != first


def test_the_note_asks_a_bounded_number_of_queries(plan_records, registry, django_assert_max_num_queries):
    build("itu-tdag", as_of_now())  # the day's tallies stored first, as a report build finds them

    with django_assert_max_num_queries(80):
        build("itu-tdag", as_of_now())
    with django_assert_max_num_queries(30):
        build("escap-commission-82", as_of_now())


def test_key_figures_carry_the_date_of_the_note(plan_records):
    report = build("escap-commission-82", as_of_date(EARLY))

    dates = {figure.as_of for section in report.sections for block in section.blocks if isinstance(block, Figures)
             for figure in block.figures}
    assert dates == {EARLY}

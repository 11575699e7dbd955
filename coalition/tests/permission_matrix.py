"""Shared set-up of the permission matrix: the personas, one small registry holding an object of
every kind a write can target (pledges and reports, an action plan with its activities,
participations, national measures and meetings, good practices), and a fingerprint of the
database to prove a refusal changed nothing.

Used by `test_permission_matrix_views.py` and `test_permission_matrix_services.py`; import the
fixtures into the test module (`shared_world, world, media = ...`). The world is built once per
module (a thousand cases share it) and each case gets a fresh copy read from the database, which
is rolled back after every case.
"""

import datetime
import hashlib
from dataclasses import dataclass, fields

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from coalition.accounts.models import ApiToken, CountryFocalPoint, Notification, User
from coalition.accounts.services import api_token_create
from coalition.actionplan.models import (
    Action,
    Activity,
    ActivityDocument,
    Deliverable,
    Meeting,
    MeetingDocument,
    NationalMeasure,
    Participation,
    Pillar,
    Plan,
    WorkingGroupLead,
)
from coalition.actionplan.services.activities import (
    activity_create,
    activity_document_add,
    activity_move,
    participation_move,
    participation_record,
)
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.services.meetings import meeting_save
from coalition.actionplan.services.plans import (
    action_create,
    deliverable_create,
    pillar_create,
    plan_create,
    working_group_lead_appoint,
)
from coalition.entities.models import AccessRequest, Entity
from coalition.entities.services import access_request_join_entity, access_request_new_entity
from coalition.knowledge.models import Attachment, GoodPractice
from coalition.knowledge.services import attachment_add, practice_create, practice_move
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Campaign, Pledge, PledgeRevision
from coalition.pledges.services import (
    pledge_create,
    pledge_reject,
    pledge_submit,
    revision_start,
    revision_submit,
    revision_update,
)
from coalition.reference.models import ImportRun, Initiative
from coalition.reporting.models import Evidence, ProgressReport
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.reports.models import ReportBuild
from coalition.reports.services import report_publish, report_request
from coalition.tests import builders

# member_state_focal is the country focal point (acts for Kenya); working_group_lead leads the
# working group of pillar P1 of the world's action plan and belongs to no entity and no country.
PERSONAS = ("anonymous", "pledger_a", "pledger_b", "member_state_focal", "working_group_lead", "reviewer",
            "administrator")

# Who may do what, named once so the tables read as sentences.
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
REVIEWERS = frozenset({"reviewer", "administrator"})
ENTITY_A = frozenset({"pledger_a", "administrator"})
ENTITY_A_OR_REVIEWERS = ENTITY_A | REVIEWERS
ENTITY_FOCAL_POINTS_OR_REVIEWERS = frozenset({"pledger_a", "pledger_b"}) | REVIEWERS
ONLY_PLEDGER_A = frozenset({"pledger_a"})
ONLY_ADMINISTRATOR = frozenset({"administrator"})
WORKING_GROUP_LEAD_OR_REVIEWERS = frozenset({"working_group_lead"}) | REVIEWERS
COUNTRY_FOCAL_OR_REVIEWERS = frozenset({"member_state_focal"}) | REVIEWERS
# Those who act for entity A or for Kenya, a country its published pledges benefit.
ENTITY_A_OR_KENYA = ENTITY_A | {"member_state_focal"}

YEAR = timezone.localdate().year
LAST_YEAR_END = datetime.date(YEAR - 1, 12, 31)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@dataclass
class World:
    """One object of every kind a write can target; the entity-A objects belong to pledger_a."""

    personas: dict  # persona name -> user (the anonymous visitor is not stored)
    entity_a: Entity
    entity_b: Entity
    entity_c: Entity  # nobody acts for it: anyone may ask to join
    draft: Pledge
    submitted: Pledge
    rejected: Pledge  # rejected by the reviewer: a record nobody edits
    published: Pledge  # no open revision, a submitted report (with an evidence file)
    revised: Pledge  # published, with a draft revision that changes the title
    revision: PledgeRevision
    under_review: Pledge  # published, with a submitted revision
    submitted_revision: PledgeRevision
    reported: Pledge  # published, with a complete draft report
    report_draft: ProgressReport
    report_submitted: ProgressReport
    evidence: Evidence
    access_request: AccessRequest  # a newcomer asks to join entity A
    own_access_request: AccessRequest  # the reviewer asks to register an entity
    token: ApiToken  # pledger_a's
    upload_run: ImportRun  # pledger_a's offline report upload (its page)
    notification: Notification  # pledger_a's, unread: "Your pledge is published"
    report_accepted: ProgressReport  # on another published pledge for Kenya: a practice may come from it
    completed: Pledge  # published, its accepted report says completed: its reporting is closed
    campaign: Campaign  # an event pledges were announced at, which the secretariat edits
    report_published: ReportBuild  # Kenya's country profile, built by the reviewer and published
    report_done: ReportBuild  # the same, built and not published: only the secretariat sees it
    # --- The action plan: pillar P1 is working_group_lead's; P2 is nobody's; P3 is empty ----------
    plan: Plan
    pillar: Pillar  # P1
    pillar_empty: Pillar  # P3: nothing in it, so it may be deleted
    action: Action  # 1.1 in P1, with a deliverable; activities serve it
    action_spare: Action  # 1.2 in P1: nothing names it, so it may be deleted
    deliverable: Deliverable  # of 1.1
    lead: WorkingGroupLead  # working_group_lead's appointment to P1
    activity_draft: Activity  # the reviewer's draft, serving 2.1 (P2): the lead of P1 has no say
    activity_lead_draft: Activity  # working_group_lead's draft, serving 1.1, with a file
    activity_document: ActivityDocument  # the file of activity_lead_draft
    activity_submitted: Activity  # working_group_lead's, submitted
    activity_published: Activity  # the reviewer's, serving 1.1, with a file; no participation yet
    published_document: ActivityDocument  # the file of activity_published
    participation: Participation  # Kenya's in another published activity, submitted by member_state_focal
    participation_draft: Participation  # Kenya's in a third published activity, a draft of member_state_focal
    measure_draft: NationalMeasure  # Kenya's, by member_state_focal
    measure_submitted: NationalMeasure
    measure_published: NationalMeasure
    meeting: Meeting
    meeting_document: MeetingDocument
    # --- Good practices, shared by pledger_a for entity A ------------------------------------------
    practice_draft: GoodPractice  # complete, so it may be submitted
    attachment: Attachment  # of practice_draft
    practice_submitted: GoodPractice
    practice_published: GoodPractice
    published_attachment: Attachment  # of practice_published

    def persona(self, name: str):
        return AnonymousUser() if name == "anonymous" else self.personas[name]

    def fresh(self) -> "World":
        """The same world read again from the database, so that no test sees the objects another
        test changed in memory (the database itself is rolled back after each test)."""
        values = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "personas":
                values[item.name] = {name: User.objects.get(pk=user.pk) for name, user in value.items()}
            else:
                values[item.name] = type(value).objects.get(pk=value.pk)
        return World(**values)


def report_fields(pledge: Pledge, **overrides) -> dict:
    """A complete report, ready to submit."""
    return {
        "period_end": LAST_YEAR_END,
        "implementation_status": "on_track",
        "share_delivered": "40",
        "disbursed_amount": "250000",
        "disbursed_currency": "EUR",
        "disbursed_year": 2022,
        "narrative": "120 schools connected in three counties.",
        "challenges": "Rainy season delayed works.",
        "targets": [{"target": pledge.targets.get(), "actual_value": "120"}],
        "evidence": [],
        **overrides,
    }


def activity_fields(**overrides) -> dict:
    """An activity's fields as the services take them; one going to review also names its
    `organisers` and the `actions` it serves."""
    return {
        "kind": "workshop", "title": "Regional workshop on broadband mapping", "description": "Two days.",
        "start_date": datetime.date(2024, 3, 5), "end_date": datetime.date(2024, 3, 6), "place": "Bangkok",
        "host_country": None, "online": False, "organisers": [], "partners": [], "countries": [], "actions": [],
        "framework_nodes": [], "outputs": "A mapping toolkit.", **overrides,
    }


def measure_fields(country, **overrides) -> dict:
    """A complete national measure of `country`, ready to submit."""
    return {"country": country, "kind": "policy", "title": "National Broadband Plan 2025–2030 adopted",
            "description": "Fibre to every county seat by 2030.", "adopted_on": datetime.date(2025, 3, 1), "url": "",
            "actions": [], "framework_nodes": [], **overrides}


def practice_fields(entity, **overrides) -> dict:
    """A complete good practice shared by `entity` (a pledger), ready to submit."""
    return {"shared_by": "pledger", "entity": entity, "title": "Solar-powered school labs",
            "summary": "Solar kits keep rural computer labs open.", "problem": "No grid power in 40 schools.",
            "approach": "Solar kits and a maintenance contract.", "results": "- 40 labs open every school day",
            **overrides}


def _build_plan(personas, countries, entity_a) -> dict:
    """The action plan's part of the world, written through its services."""
    reviewer, focal, lead_user = personas["reviewer"], personas["member_state_focal"], personas["working_group_lead"]
    apis = Initiative.objects.create(slug="ap-is", kind=Initiative.Kind.ACTION_PLAN, name_en="AP-IS", short_name="AP-IS")
    plan = plan_create(actor=reviewer, data={"slug": "ap-is-2022-2026", "name_en": "AP-IS Action Plan 2022–2026",
                                             "short_name": "AP-IS 2022–2026", "start_year": 2022, "end_year": 2026,
                                             "initiative": apis})
    p1, p2, p3 = (pillar_create(actor=reviewer, plan=plan, data={"code": code, "name_en": name, "working_group_en": name})
                  for code, name in (("P1", "Connectivity for all"), ("P2", "Digital technologies"),
                                     ("P3", "Digital data")))

    def action(pillar, code, title):
        return action_create(actor=reviewer, plan=plan, data={"code": code, "title_en": title, "pillar": pillar})

    action_1, action_spare, action_2 = (action(p1, "1.1", "Broadband mapping"), action(p1, "1.2", "Last-mile pilots"),
                                        action(p2, "2.1", "E-government services"))
    deliverable = deliverable_create(actor=reviewer, action=action_1, data={"code": "D1", "title_en": "Regional map",
                                                                             "progress": 20, "status": "in_progress"})
    lead = working_group_lead_appoint(actor=reviewer, pillar=p1, user=lead_user)

    def serving(action_, **overrides):
        return activity_fields(organisers=[entity_a], actions=[action_], **overrides)

    def published_activity(title):
        activity = activity_create(actor=reviewer, data=serving(action_1, title=title))
        activity_move(actor=reviewer, activity=activity, action="submit")
        return activity_move(actor=reviewer, activity=activity, action="publish")

    def file_of(activity, title):
        return activity_document_add(actor=reviewer, activity=activity, data={
            "title": title, "file": SimpleUploadedFile("agenda.pdf", PDF)})

    activity_draft = activity_create(actor=reviewer, data=serving(action_2, title="E-government study tour"))
    activity_lead_draft = activity_create(actor=lead_user, data=serving(action_1, title="Mapping clinic, Almaty"))
    activity_document = file_of(activity_lead_draft, "Agenda")
    activity_submitted = activity_create(actor=lead_user, data=serving(action_1, title="Mapping webinar"))
    activity_move(actor=lead_user, activity=activity_submitted, action="submit")
    activity_published = published_activity("Broadband mapping workshop, Bangkok")
    published_document = file_of(activity_published, "Workshop report")

    kenya = countries["KEN"]
    participation = participation_record(actor=focal, activity=published_activity("Fibre policy dialogue"),
                                         data={"country": kenya, "women": 3, "men": 2})
    participation = participation_move(actor=focal, participation=participation, action="submit")
    participation_draft = participation_record(actor=focal, activity=published_activity("Spectrum training"),
                                               data={"country": kenya, "women": 1, "men": 1})

    measure_draft = measure_create(actor=focal, data=measure_fields(kenya))
    measure_submitted = measure_move(actor=focal, action="submit", measure=measure_create(
        actor=focal, data=measure_fields(kenya, title="Universal service fund reformed")))
    measure_published = measure_create(actor=focal, data=measure_fields(kenya, title="Digital ID law adopted",
                                                                       kind="law"))
    measure_move(actor=focal, measure=measure_published, action="submit")
    measure_published = measure_move(actor=reviewer, measure=measure_published, action="publish")

    meeting = meeting_save(actor=reviewer, data={
        "slug": "ap-is-steering-committee-9", "kind": "steering_committee", "plan": plan,
        "name_en": "AP-IS Steering Committee, ninth session", "start_date": "2025-12-04", "end_date": "2025-12-05",
        "place": "Bangkok", "countries": ["KEN", "NPL"],
        "documents": [{"symbol": "ESCAP/AP-IS/SC/2025/1", "title": "Provisional agenda",
                       "url": "https://example.org/agenda"}],
    })
    return {
        "plan": plan, "pillar": p1, "pillar_empty": p3, "action": action_1, "action_spare": action_spare,
        "deliverable": deliverable, "lead": lead, "activity_draft": activity_draft,
        "activity_lead_draft": activity_lead_draft, "activity_document": activity_document,
        "activity_submitted": activity_submitted, "activity_published": activity_published,
        "published_document": published_document, "participation": participation,
        "participation_draft": participation_draft, "measure_draft": measure_draft,
        "measure_submitted": measure_submitted, "measure_published": measure_published, "meeting": meeting,
        "meeting_document": meeting.documents.get(),
    }


def _build_practices(personas, entity_a) -> dict:
    """The good-practice library's part of the world: pledger_a's practices for entity A."""
    pledger_a, reviewer = personas["pledger_a"], personas["reviewer"]

    def attach(practice):
        return attachment_add(actor=pledger_a, practice=practice, files=[
            {"title": "Project report", "file": SimpleUploadedFile("report.pdf", PDF)}])[0]

    practice_draft = practice_create(actor=pledger_a, data=practice_fields(entity_a))
    practice_submitted = practice_move(actor=pledger_a, action="submit", practice=practice_create(
        actor=pledger_a, data=practice_fields(entity_a, title="Community Wi-Fi run by cooperatives")))
    practice_published = practice_create(actor=pledger_a, data=practice_fields(entity_a, title="Teachers as tutors"))
    published_attachment = attach(practice_published)
    practice_move(actor=pledger_a, practice=practice_published, action="submit")
    practice_published = practice_move(actor=reviewer, practice=practice_published, action="publish")
    return {"practice_draft": practice_draft, "attachment": attach(practice_draft),
            "practice_submitted": practice_submitted, "practice_published": practice_published,
            "published_attachment": published_attachment}


def _build_world() -> World:
    countries = builders.make_countries()
    builders.make_currencies()
    entity_a, entity_b = builders.make_entity_a(countries), builders.make_entity_b(countries)
    personas = {
        "pledger_a": builders.make_focal_point(entity_a, "focal.a@example.org"),
        "pledger_b": builders.make_focal_point(entity_b, "focal.b@example.org"),
        "member_state_focal": builders.make_member_state_focal(),
        "working_group_lead": User.objects.create_user(email="wg.lead@example.org", password=builders.PASSWORD),
        "reviewer": builders.make_reviewer(),
        "administrator": builders.make_administrator(),
    }
    pledger_a, reviewer = personas["pledger_a"], personas["reviewer"]
    pledge_data = builders.pledge_fields(builders.make_initiative(), entity_a, countries)
    CountryFocalPoint.objects.create(user=personas["member_state_focal"], country=countries["KEN"],
                                     approved_by=personas["administrator"], approved_at=timezone.now())
    entity_c = Entity.objects.create(name="Rural Schools Trust", entity_type=Entity.Type.CIVIL_SOCIETY,
                                     home_country=countries["NPL"])

    def published(title):
        return builders.publish(pledger_a, reviewer, {**pledge_data, "title": title})

    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Draft: connect clinics"})
    submitted = pledge_submit(actor=pledger_a, pledge=pledge_create(
        actor=pledger_a, data={**pledge_data, "title": "Submitted: connect libraries"}))
    published_pledge = published("Published: connect 500 rural schools")
    rejected = pledge_reject(actor=reviewer, pledge=pledge_submit(actor=pledger_a, pledge=pledge_create(
        actor=pledger_a, data={**pledge_data, "title": "Rejected: a pledge out of scope"})), comment="Out of scope.")

    revised = published("Published: train 1,000 teachers")
    revision = revision_start(actor=pledger_a, pledge=revised, reason="More teachers.")
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**revision_data_load(revision.data), "title": "Train 2,000 teachers"})

    under_review = published("Published: rural coding clubs")
    submitted_revision = revision_start(actor=pledger_a, pledge=under_review, reason="Two more counties.")
    revision_update(actor=pledger_a, revision=submitted_revision,
                    data={**revision_data_load(submitted_revision.data), "title": "Rural coding clubs in 5 counties"})
    submitted_revision = revision_submit(actor=pledger_a, revision=submitted_revision)
    # Published long ago and never reported on: its report is due, so reminders have work to do.
    Pledge.objects.filter(pk=under_review.pk).update(published_at=timezone.now() - datetime.timedelta(days=400))

    evidence_file = {"kind": "file", "title": "Project report", "file": SimpleUploadedFile("report.pdf", PDF)}
    report_submitted = report_submit(actor=pledger_a, report=report_create(
        actor=pledger_a, pledge=published_pledge, data=report_fields(published_pledge, evidence=[evidence_file])))

    reported = published("Published: community Wi-Fi")
    report_draft = report_create(actor=pledger_a, pledge=reported, data=report_fields(reported))

    newcomer = User.objects.create_user(email="new.person@example.org", password=builders.PASSWORD,
                                        full_name="Amina Otieno")
    access_request = access_request_join_entity(actor=newcomer, entity=entity_a, message="I run the school programme.")
    own_access_request = access_request_new_entity(
        actor=reviewer, name="Reviewer's Foundation", entity_type=Entity.Type.CIVIL_SOCIETY,
        home_country=countries["FRA"])
    token, _raw = api_token_create(actor=pledger_a, name="Sync script")
    accepted_pledge = published("Published: digital skills for nurses")
    report_accepted = report_accept(actor=reviewer, verification_level="documented", report=report_submit(
        actor=pledger_a, report=report_create(actor=pledger_a, pledge=accepted_pledge,
                                              data=report_fields(accepted_pledge))))
    completed = published("Published: community networks, completed")
    report_accept(actor=reviewer, verification_level="documented", report=report_submit(
        actor=pledger_a, report=report_create(actor=pledger_a, pledge=completed, data=report_fields(
            completed, implementation_status="completed", share_delivered="100"))))
    campaign = Campaign.objects.create(initiative=pledge_data["initiative"], slug="matrix-forum", name_en="Matrix forum",
                                       start_date=datetime.date(2025, 5, 1))
    upload_run = ImportRun.objects.create(kind="progress_reports_xlsx", source=f"{entity_a.pk}:reports.xlsx",
                                          started_by=pledger_a, status=ImportRun.Status.SUCCEEDED)
    profile = {"kind": "country-profile", "language": "en", "as_of": timezone.localdate(), "params": {"country": "KEN"}}
    report_published = report_publish(actor=reviewer, build=report_request(actor=reviewer, **profile))
    report_done = report_request(actor=reviewer, **profile)
    return World(
        personas=personas, entity_a=entity_a, entity_b=entity_b, entity_c=entity_c, draft=draft,
        submitted=submitted, rejected=rejected, published=published_pledge, revised=revised, revision=revision,
        under_review=under_review, submitted_revision=submitted_revision, reported=reported,
        report_draft=report_draft, report_submitted=report_submitted, evidence=report_submitted.evidence.get(),
        access_request=access_request, own_access_request=own_access_request, token=token, upload_run=upload_run,
        notification=Notification.objects.filter(recipient=pledger_a).earliest("created_at", "pk"),
        report_accepted=report_accepted, report_published=report_published, report_done=report_done,
        completed=completed, campaign=campaign,
        **_build_plan(personas, countries, entity_a),
        **_build_practices(personas, entity_a),
    )


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and its media folder, built once per test module in a transaction rolled back at
    the end of the module; each test runs in a savepoint inside it (pytest-django's `db`)."""
    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, TASKS=IMMEDIATE_TASKS):
        with transaction.atomic():
            yield _build_world(), media_root
            transaction.set_rollback(True)


@pytest.fixture
def media(shared_world, settings):
    settings.MEDIA_ROOT = shared_world[1]
    # The open-data files are stored files too: a refused rebuild must leave them untouched.
    settings.COALITION_OPENDATA_DIR = shared_world[1] / "opendata"
    return shared_world[1]


@pytest.fixture
def world(shared_world, media, db):
    mail.outbox.clear()
    return shared_world[0].fresh()


def _fingerprinted_models():
    """Every model of the apps people write to (history tables and link tables included), and the
    import runs. Unmanaged models are left out: the SQLite full-text table mirrors the search
    documents (which are fingerprinted) and does not exist on PostgreSQL."""
    models = []
    for label in ("accounts", "entities", "pledges", "reporting", "actionplan", "knowledge", "reports", "opendata"):
        models.extend(
            m for m in apps.get_app_config(label).get_models(include_auto_created=True) if m._meta.managed
        )
    models.append(ImportRun)
    return models


def fingerprint(media_root=None) -> dict[str, tuple[int, str]]:
    """{model label: (row count, hash of every row's values)}, plus sent mail and stored files."""
    result = {}
    for model in _fingerprinted_models():
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[model._meta.label] = (len(rows), digest)
    result["mail.outbox"] = (len(mail.outbox), "")
    if media_root is not None:
        files = sorted(str(p) for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        result["media files"] = (len(files), hashlib.sha256(repr(files).encode()).hexdigest())
    return result


def changed(before: dict, after: dict) -> list[str]:
    """The labels whose rows differ, to say what a refused request changed."""
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


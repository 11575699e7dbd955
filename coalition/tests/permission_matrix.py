"""Shared set-up of the permission matrix: the six personas, one small registry holding an object
of every kind a write can target, and a fingerprint of the database to prove a refusal changed
nothing.

Used by `test_permission_matrix_views.py` and `test_permission_matrix_services.py`; import the
fixtures into the test module (`shared_world, world, media = ...`). The world is built once per
module (about 500 cases share it) and each case gets a fresh copy read from the database, which
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
from coalition.entities.models import AccessRequest, Entity
from coalition.entities.services import access_request_join_entity, access_request_new_entity
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Pledge, PledgeRevision
from coalition.pledges.services import (
    pledge_create,
    pledge_reject,
    pledge_submit,
    revision_start,
    revision_submit,
    revision_update,
)
from coalition.reference.models import ImportRun
from coalition.reporting.models import Evidence, ProgressReport
from coalition.reporting.services import report_create, report_submit
from coalition.tests import builders

PERSONAS = ("anonymous", "pledger_a", "pledger_b", "member_state_focal", "reviewer", "administrator")

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


def _build_world() -> World:
    countries = builders.make_countries()
    builders.make_currencies()
    entity_a, entity_b = builders.make_entity_a(countries), builders.make_entity_b(countries)
    personas = {
        "pledger_a": builders.make_focal_point(entity_a, "focal.a@example.org"),
        "pledger_b": builders.make_focal_point(entity_b, "focal.b@example.org"),
        "member_state_focal": builders.make_member_state_focal(),
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
    upload_run = ImportRun.objects.create(kind="progress_reports_xlsx", source=f"{entity_a.pk}:reports.xlsx",
                                          started_by=pledger_a, status=ImportRun.Status.SUCCEEDED)
    return World(
        personas=personas, entity_a=entity_a, entity_b=entity_b, entity_c=entity_c, draft=draft,
        submitted=submitted, rejected=rejected, published=published_pledge, revised=revised, revision=revision,
        under_review=under_review, submitted_revision=submitted_revision, reported=reported,
        report_draft=report_draft, report_submitted=report_submitted, evidence=report_submitted.evidence.get(),
        access_request=access_request, own_access_request=own_access_request, token=token, upload_run=upload_run,
        notification=Notification.objects.filter(recipient=pledger_a).earliest("created_at", "pk"),
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
    for label in ("accounts", "entities", "pledges", "reporting"):
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


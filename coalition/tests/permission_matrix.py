"""Shared set-up of the permission matrix: the six personas, one small registry holding an object
of every kind a write can target, and a fingerprint of the database to prove a refusal changed
nothing.

Used by `test_permission_matrix_views.py` and `test_permission_matrix_services.py`; import the
fixtures into the test module (`world = matrix.world`).
"""

import datetime
import hashlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.accounts.models import ApiToken, CountryFocalPoint, User
from coalition.accounts.services import api_token_create
from coalition.entities.models import AccessRequest, Entity
from coalition.entities.services import access_request_join_entity, access_request_new_entity
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Pledge, PledgeRevision
from coalition.pledges.services import (
    pledge_create,
    pledge_publish,
    pledge_submit,
    revision_start,
    revision_submit,
    revision_update,
)
from coalition.reference.models import ImportRun
from coalition.reporting.models import Evidence, ProgressReport
from coalition.reporting.services import report_create, report_submit

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

    entity_a: Entity
    entity_b: Entity
    entity_c: Entity  # nobody acts for it: anyone may ask to join
    draft: Pledge
    submitted: Pledge
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


def _published(pledger, reviewer, data, title):
    pledge = pledge_create(actor=pledger, data={**data, "title": title})
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_publish(actor=reviewer, pledge=pledge)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(pledger_a, pledger_b, member_state_focal, reviewer, administrator, pledge_data, entity_a, entity_b, countries):
    CountryFocalPoint.objects.create(
        user=member_state_focal, country=countries["KEN"], approved_by=administrator, approved_at=timezone.now()
    )
    entity_c = Entity.objects.create(name="Rural Schools Trust", entity_type=Entity.Type.CIVIL_SOCIETY,
                                     home_country=countries["NPL"])
    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Draft: connect clinics"})
    submitted = pledge_submit(actor=pledger_a, pledge=pledge_create(
        actor=pledger_a, data={**pledge_data, "title": "Submitted: connect libraries"}))
    published = _published(pledger_a, reviewer, pledge_data, "Published: connect 500 rural schools")

    revised = _published(pledger_a, reviewer, pledge_data, "Published: train 1,000 teachers")
    revision = revision_start(actor=pledger_a, pledge=revised, reason="More teachers.")
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**revision_data_load(revision.data), "title": "Train 2,000 teachers"})

    under_review = _published(pledger_a, reviewer, pledge_data, "Published: rural coding clubs")
    submitted_revision = revision_start(actor=pledger_a, pledge=under_review, reason="Two more counties.")
    revision_update(actor=pledger_a, revision=submitted_revision,
                    data={**revision_data_load(submitted_revision.data), "title": "Rural coding clubs in 5 counties"})
    submitted_revision = revision_submit(actor=pledger_a, revision=submitted_revision)
    # Published long ago and never reported on: its report is due, so reminders have work to do.
    Pledge.objects.filter(pk=under_review.pk).update(published_at=timezone.now() - datetime.timedelta(days=400))

    evidence_file = {"kind": "file", "title": "Project report", "file": SimpleUploadedFile("report.pdf", PDF)}
    report_submitted = report_submit(actor=pledger_a, report=report_create(
        actor=pledger_a, pledge=published, data=report_fields(published, evidence=[evidence_file])))

    reported = _published(pledger_a, reviewer, pledge_data, "Published: community Wi-Fi")
    report_draft = report_create(actor=pledger_a, pledge=reported, data=report_fields(reported))

    newcomer = User.objects.create_user(email="new.person@example.org", password="x-Pass-123456",
                                        full_name="Amina Otieno")
    access_request = access_request_join_entity(actor=newcomer, entity=entity_a, message="I run the school programme.")
    own_access_request = access_request_new_entity(
        actor=reviewer, name="Reviewer's Foundation", entity_type=Entity.Type.CIVIL_SOCIETY,
        home_country=countries["FRA"])
    token, _raw = api_token_create(actor=pledger_a, name="Sync script")
    mail.outbox.clear()
    return World(
        entity_a=entity_a, entity_b=entity_b, entity_c=entity_c, draft=draft, submitted=submitted,
        published=published, revised=revised, revision=revision, under_review=under_review,
        submitted_revision=submitted_revision, reported=reported, report_draft=report_draft,
        report_submitted=report_submitted, evidence=report_submitted.evidence.get(),
        access_request=access_request, own_access_request=own_access_request, token=token,
    )


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


"""Who may call each service that writes: every persona against every writing service.

The table is the documentation of who may do what, whatever the caller (view, API, admin,
command). A refused persona gets `PermissionDenied` and the database, outbox and stored files
are exactly as before; every allowed persona's call succeeds. The guard at the end fails when a
public function taking `actor` in a service module is neither in the table nor listed as a
wrapper or helper, so a new service needs a decision here.
"""

import inspect
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.accounts import services as account_services
from coalition.actionplan.services import activities as activity_services
from coalition.actionplan.services import measures as measure_services
from coalition.actionplan.services import meetings as meeting_services
from coalition.actionplan.services import moderated as moderated_services
from coalition.actionplan.services import plans as plan_services
from coalition.entities import services as entity_services
from coalition.knowledge.services import attachments as attachment_services
from coalition.knowledge.services import practices as practice_services
from coalition.opendata import services as opendata_services
from coalition.pledges import services
from coalition.pledges.content import pledge_data, revision_data_load
from coalition.pledges.services import campaigns as campaign_services
from coalition.pledges.services import comments as comment_service_module
from coalition.pledges.services import pledges as pledge_service_module
from coalition.pledges.services import revisions as revision_service_module
from coalition.reference.models import Country, ImportRun
from coalition.reporting import reminders
from coalition.reporting import services as reporting_services
from coalition.reporting.tests.reporting_xlsx_fixtures import filled, upload
from coalition.reporting.xlsx import reader as reporting_xlsx_reader
from coalition.reports import services as report_services
from coalition.tests import permission_matrix as matrix
from coalition.tests.permission_matrix import (
    COUNTRY_FOCAL_OR_REVIEWERS,
    ENTITY_A,
    ENTITY_A_OR_KENYA,
    ENTITY_A_OR_REVIEWERS,
    ONLY_ADMINISTRATOR,
    ONLY_PLEDGER_A,
    PDF,
    PERSONAS,
    REVIEWERS,
    SIGNED_IN,
    WORKING_GROUP_LEAD_OR_REVIEWERS,
    activity_fields,
    changed,
    fingerprint,
    measure_fields,
    practice_fields,
    report_fields,
)

shared_world, world, media = matrix.shared_world, matrix.world, matrix.media


@dataclass(frozen=True)
class Call:
    service: str
    call: Callable  # (world, actor) -> anything; calls the service
    allowed: frozenset
    what: str = ""

    def __str__(self) -> str:
        return self.service + (f" ({self.what})" if self.what else "")


def _transition(action, pledge, comment=""):
    return lambda w, a: services.pledge_transition(actor=a, pledge=getattr(w, pledge), action=action, comment=comment)


def _moved_to_b(w, a):
    return services.pledge_update(actor=a, pledge=w.draft, data={**pledge_data(w.draft), "lead_entity": w.entity_b})


def _loaded(load, actor, text: str) -> ImportRun:
    """`load` (a loader service) run by `actor` on a file holding `text`; its run must succeed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_text(text, encoding="utf-8")
        run = load(actor=actor, path=path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    return run


NEXT_PLAN = """\
slug: ap-is-2027-2030
initiative: ap-is
previous: ap-is-2022-2026
name_en: AP-IS Action Plan 2027–2030
short_name: AP-IS 2027–2030
start_year: 2027
end_year: 2030
pillars:
  - code: P1
    name_en: Connectivity for all
    actions:
      - code: "1.1"
        title_en: Keep the broadband map up to date
        continues: "1.1"
"""

MEETINGS = """\
meetings:
  - slug: ap-is-steering-committee-10
    kind: steering_committee
    name_en: AP-IS Steering Committee, tenth session
    start_date: 2026-11-05
    countries: [KEN]
"""


def _plan_data(w, **overrides):
    return {"slug": w.plan.slug, "name_en": w.plan.name_en, "short_name": w.plan.short_name, "start_year": 2022,
            "end_year": 2026, "initiative": w.plan.initiative, **overrides}


def _deliverable_data(**overrides):
    return {"code": "D1", "title_en": "Regional map", "progress": 40, "status": "in_progress", **overrides}


def _kenya():
    return Country.objects.get(iso3="KEN")


def _meeting_data(w, **overrides):
    return {"slug": w.meeting.slug, "kind": "steering_committee", "name_en": w.meeting.name_en,
            "start_date": "2025-12-04", "end_date": "2025-12-05", "place": "Bangkok", **overrides}


def _activity_data(activity, **overrides):
    return {**activity_services.activity_data(activity), **overrides}


def _practice_data(practice, **overrides):
    return {**practice_services.practice_data(practice), **overrides}


CALLS = [
    # --- Pledges (services.py) --------------------------------------------------------------------
    Call("pledge_create", lambda w, a: services.pledge_create(actor=a, data={**pledge_data(w.draft), "title": "Hubs"}),
         ENTITY_A_OR_REVIEWERS, "for entity A"),
    Call("pledge_update", lambda w, a: services.pledge_update(
        actor=a, pledge=w.draft, data={**pledge_data(w.draft), "title": "Connect 80 clinics"}),
        ENTITY_A_OR_REVIEWERS, "entity A's draft"),
    Call("pledge_update", _moved_to_b, matrix.REVIEWERS, "move entity A's draft to entity B"),
    Call("pledge_transition", _transition("submit", "draft"), ENTITY_A, "submit"),
    Call("pledge_transition", _transition("start_review", "submitted"), REVIEWERS, "start_review"),
    Call("pledge_transition", _transition("publish", "submitted"), REVIEWERS, "publish"),
    Call("pledge_transition", _transition("request_changes", "submitted", "Add a target."), REVIEWERS,
         "request_changes"),
    Call("pledge_transition", _transition("reject", "submitted", "Out of scope."), REVIEWERS, "reject"),
    Call("pledge_transition", _transition("withdraw", "published"), ENTITY_A, "withdraw"),
    Call("pledge_delete", lambda w, a: services.pledge_delete(actor=a, pledge=w.draft), ENTITY_A_OR_REVIEWERS,
         "entity A's draft"),
    Call("pledge_assign", lambda w, a: services.pledge_assign(actor=a, pledge=w.submitted, reviewer=None),
         REVIEWERS),
    # --- A pledge's conversation (services/comments.py) -------------------------------------------
    Call("comment_post", lambda w, a: services.comment_post(actor=a, pledge=w.submitted, body="Which counties?"),
         ENTITY_A_OR_REVIEWERS, "on a pledge under review"),
    Call("comment_post", lambda w, a: services.comment_post(actor=a, pledge=w.published, body="We can help."),
         ENTITY_A_OR_REVIEWERS | {"member_state_focal"}, "on a published pledge for Kenya, whose focal point joins"),
    # --- Progress reports (reporting_services.py, reporting_xlsx) --------------------------------
    Call("report_create", lambda w, a: reporting_services.report_create(
        actor=a, pledge=w.published, data=report_fields(w.published, period_end=timezone.localdate())),
        ENTITY_A),
    Call("report_update", lambda w, a: reporting_services.report_update(
        actor=a, report=w.report_draft, data=report_fields(w.reported, narrative="130 schools connected.")),
        ENTITY_A),
    Call("report_submit", lambda w, a: reporting_services.report_submit(actor=a, report=w.report_draft), ENTITY_A),
    Call("report_delete", lambda w, a: reporting_services.report_delete(actor=a, report=w.report_draft), ENTITY_A,
         "entity A's draft report"),
    Call("report_accept", lambda w, a: reporting_services.report_accept(
        actor=a, report=w.report_submitted, verification_level="documented"), REVIEWERS),
    Call("report_return", lambda w, a: reporting_services.report_return(
        actor=a, report=w.report_submitted, comment="Add the county list."), REVIEWERS),
    Call("report_upload", lambda w, a: reporting_xlsx_reader.report_upload(
        actor=a, entity=w.entity_a, file=upload(filled(w.entity_a))), ENTITY_A, "entity A's workbook"),
    Call("report_assign", lambda w, a: reporting_services.report_assign(
        actor=a, report=w.report_submitted, reviewer=w.personas["reviewer"]), REVIEWERS),
    Call("report_reminders_enqueue", lambda w, a: reminders.report_reminders_enqueue(actor=a), REVIEWERS),
    Call("pledge_reporting_reopen", lambda w, a: reporting_services.pledge_reporting_reopen(
        actor=a, pledge=w.completed, reason="A second phase was funded."), REVIEWERS, "a completed pledge"),
    # --- Campaigns (services/campaigns.py) --------------------------------------------------------
    Call("campaign_create", lambda w, a: campaign_services.campaign_create(actor=a, data={
        "initiative": w.campaign.initiative, "name_en": "Connectivity summit", "start_date": "2026-03-01",
        "goal_pledges": 20}), REVIEWERS),
    Call("campaign_update", lambda w, a: campaign_services.campaign_update(
        actor=a, campaign=w.campaign, data={"goal_usd": "50000000"}), REVIEWERS),
    # --- Revisions (services.py) ---------------------------------------------------------
    Call("revision_start", lambda w, a: services.revision_start(actor=a, pledge=w.published, reason="More."),
         ENTITY_A),
    Call("revision_update", lambda w, a: services.revision_update(
        actor=a, revision=w.revision, data={**revision_data_load(w.revision.data), "title": "Train 3,000 teachers"}),
        ENTITY_A),
    Call("revision_submit", lambda w, a: services.revision_submit(actor=a, revision=w.revision), ENTITY_A),
    Call("revision_withdraw", lambda w, a: services.revision_withdraw(actor=a, revision=w.revision),
         ENTITY_A),
    Call("revision_publish", lambda w, a: services.revision_publish(actor=a, revision=w.submitted_revision),
         REVIEWERS),
    Call("revision_request_changes", lambda w, a: services.revision_request_changes(
        actor=a, revision=w.submitted_revision, comment="Which counties?"), REVIEWERS),
    Call("revision_reject", lambda w, a: services.revision_reject(
        actor=a, revision=w.submitted_revision, comment="Not a change of this pledge."), REVIEWERS),
    # --- Accounts (accounts/services.py) ----------------------------------------------------------
    Call("user_profile_update", lambda w, a: account_services.user_profile_update(
        actor=a, full_name="A New Name", preferred_language="fr"), SIGNED_IN, "one's own"),
    Call("notification_preferences_update", lambda w, a: account_services.notification_preferences_update(
        actor=a, user=w.token.user, review_decision=False), ONLY_PLEDGER_A, "pledger_a's"),
    Call("access_request_join_entity", lambda w, a: entity_services.access_request_join_entity(
        actor=a, entity=w.entity_c), SIGNED_IN),
    Call("access_request_new_entity", lambda w, a: entity_services.access_request_new_entity(
        actor=a, name="Island Connect", entity_type="private_sector", home_country=None), SIGNED_IN),
    Call("access_request_country", lambda w, a: entity_services.access_request_country(
        actor=a, country=Country.objects.get(iso3="VUT")), SIGNED_IN),
    Call("access_request_approve", lambda w, a: entity_services.access_request_approve(
        actor=a, access_request=w.access_request), ENTITY_A_OR_REVIEWERS, "a newcomer joins entity A"),
    Call("access_request_decline", lambda w, a: entity_services.access_request_decline(
        actor=a, access_request=w.access_request, reason="We do not know you."), ENTITY_A_OR_REVIEWERS),
    Call("access_request_approve", lambda w, a: entity_services.access_request_approve(
        actor=a, access_request=w.own_access_request), ONLY_ADMINISTRATOR, "the reviewer's own request"),
    Call("access_request_assign", lambda w, a: entity_services.access_request_assign(
        actor=a, access_request=w.access_request), REVIEWERS, "a newcomer's join to entity A"),
    Call("entity_register", lambda w, a: entity_services.entity_register(
        actor=a, data={"name": "Island Connect", "entity_type": "private_sector"}), REVIEWERS),
    Call("entity_update", lambda w, a: entity_services.entity_update(
        actor=a, entity=w.entity_a, data={"name": w.entity_a.name, "entity_type": "government", "acronym": "MICT"}),
        ENTITY_A_OR_REVIEWERS),
    Call("focal_point_save", lambda w, a: entity_services.focal_point_save(
        actor=a, entity=w.entity_c, data={"name": "Amina Otieno", "email": "amina@example.org"}),
        ONLY_ADMINISTRATOR, "a contact for entity C"),
    Call("focal_point_remove", lambda w, a: entity_services.focal_point_remove(
        actor=a, focal_point=w.entity_a.focal_points.get()), ONLY_ADMINISTRATOR, "pledger_a from entity A"),
    Call("notification_open", lambda w, a: account_services.notification_open(actor=a, notification=w.notification),
         ONLY_PLEDGER_A, "pledger_a's"),
    Call("api_token_create", lambda w, a: account_services.api_token_create(actor=a, name="Nightly export"),
         SIGNED_IN, "one's own"),
    Call("api_token_revoke", lambda w, a: account_services.api_token_revoke(actor=a, token=w.token),
         ONLY_PLEDGER_A | ONLY_ADMINISTRATOR, "pledger_a's token: its owner, or an administrator"),
    # --- The action plan's structure (actionplan/services/plans.py): the secretariat's ------------
    Call("plan_file_load", lambda w, a: _loaded(plan_services.plan_file_load, a, NEXT_PLAN),
         REVIEWERS, "the next plan's file"),
    Call("plan_create", lambda w, a: plan_services.plan_create(actor=a, data=_plan_data(
        w, slug="ap-is-2027-2030", start_year=2027, end_year=2030, previous=w.plan)), REVIEWERS),
    Call("plan_update", lambda w, a: plan_services.plan_update(
        actor=a, plan=w.plan, data=_plan_data(w, endorsed_by="ESCAP Committee on ICT, fourth session")), REVIEWERS),
    Call("pillar_create", lambda w, a: plan_services.pillar_create(
        actor=a, plan=w.plan, data={"code": "P4", "name_en": "Digital inclusion"}), REVIEWERS),
    Call("pillar_update", lambda w, a: plan_services.pillar_update(
        actor=a, pillar=w.pillar, data={"code": "P1", "name_en": "Connectivity for everyone"}), REVIEWERS),
    Call("pillar_delete", lambda w, a: plan_services.pillar_delete(actor=a, pillar=w.pillar_empty), REVIEWERS,
         "an empty pillar"),
    Call("action_create", lambda w, a: plan_services.action_create(
        actor=a, plan=w.plan, data={"code": "1.3", "title_en": "Satellite pilots", "pillar": w.pillar}), REVIEWERS),
    Call("action_update", lambda w, a: plan_services.action_update(actor=a, action=w.action_spare, data={
        "code": "1.2", "title_en": "Last-mile pilots in five countries", "pillar": w.pillar}), REVIEWERS),
    Call("action_delete", lambda w, a: plan_services.action_delete(actor=a, action=w.action_spare), REVIEWERS,
         "an action nothing names"),
    Call("deliverable_create", lambda w, a: plan_services.deliverable_create(
        actor=a, action=w.action, data=_deliverable_data(code="D2", title_en="Policy brief")), REVIEWERS),
    Call("deliverable_update", lambda w, a: plan_services.deliverable_update(
        actor=a, deliverable=w.deliverable, data=_deliverable_data(title_en="Regional broadband map")), REVIEWERS),
    Call("deliverable_delete", lambda w, a: plan_services.deliverable_delete(actor=a, deliverable=w.deliverable),
         REVIEWERS),
    Call("working_group_lead_appoint", lambda w, a: plan_services.working_group_lead_appoint(
        actor=a, pillar=w.pillar, user=w.personas["pledger_b"]), REVIEWERS),
    Call("working_group_lead_remove", lambda w, a: plan_services.working_group_lead_remove(actor=a, lead=w.lead),
         REVIEWERS),
    # Progress is also the working groups': the leads of the action's pillar update it.
    Call("action_progress_update", lambda w, a: plan_services.action_progress_update(
        actor=a, action=w.action, status="ongoing", deliverables={w.deliverable.pk: {"progress": 60,
                                                                                     "status": "in_progress"}}),
        WORKING_GROUP_LEAD_OR_REVIEWERS, "an action of pillar P1"),
    Call("action_progress_update", lambda w, a: plan_services.action_progress_update(
        actor=a, action=w.activity_draft.actions.get(), status="ongoing", deliverables={}),
        REVIEWERS, "an action of pillar P2"),
    # --- Activities and their documents (actionplan/services/activities.py) ------------------------
    Call("activity_create", lambda w, a: activity_services.activity_create(actor=a, data=activity_fields(
        online=True, place="")), WORKING_GROUP_LEAD_OR_REVIEWERS),
    Call("activity_update", lambda w, a: activity_services.activity_update(
        actor=a, activity=w.activity_lead_draft, data=_activity_data(w.activity_lead_draft, place="Astana")),
        WORKING_GROUP_LEAD_OR_REVIEWERS, "the lead's draft"),
    Call("activity_update", lambda w, a: activity_services.activity_update(
        actor=a, activity=w.activity_draft, data=_activity_data(w.activity_draft, place="Astana")),
        REVIEWERS, "the secretariat's draft for pillar P2"),
    Call("activity_move", lambda w, a: activity_services.activity_move(
        actor=a, activity=w.activity_lead_draft, action="submit"), WORKING_GROUP_LEAD_OR_REVIEWERS,
        "submit the lead's draft"),
    Call("activity_move", lambda w, a: activity_services.activity_move(
        actor=a, activity=w.activity_submitted, action="publish"), REVIEWERS, "publish"),
    Call("activity_move", lambda w, a: activity_services.activity_move(
        actor=a, activity=w.activity_submitted, action="request_changes", comment="Add the countries."), REVIEWERS,
        "request changes"),
    Call("activity_move", lambda w, a: activity_services.activity_move(
        actor=a, activity=w.activity_published, action="withdraw"), WORKING_GROUP_LEAD_OR_REVIEWERS,
        "withdraw a published activity of P1"),
    Call("activity_document_add", lambda w, a: activity_services.activity_document_add(
        actor=a, activity=w.activity_published, data={"title": "Slides", "url": "https://example.org/slides"}),
        WORKING_GROUP_LEAD_OR_REVIEWERS, "to a published activity of P1"),
    Call("activity_document_add", lambda w, a: activity_services.activity_document_add(
        actor=a, activity=w.activity_draft, data={"title": "Programme", "url": "https://example.org/programme"}),
        REVIEWERS, "to the secretariat's draft for pillar P2"),
    Call("activity_document_remove", lambda w, a: activity_services.activity_document_remove(
        actor=a, document=w.activity_document), WORKING_GROUP_LEAD_OR_REVIEWERS, "from the lead's draft"),
    Call("review_assign", lambda w, a: activity_services.review_assign(
        actor=a, item=w.activity_submitted, reviewer=w.personas["reviewer"]), REVIEWERS, "an activity"),
    Call("review_assign", lambda w, a: activity_services.review_assign(
        actor=a, item=w.measure_submitted, reviewer=w.personas["reviewer"]), REVIEWERS, "a national measure"),
    # --- Participation: the country's focal points and the reviewers ----------------------------
    Call("participation_record", lambda w, a: activity_services.participation_record(
        actor=a, activity=w.activity_published, data={"country": _kenya(), "women": 4, "men": 3}),
        COUNTRY_FOCAL_OR_REVIEWERS, "Kenya's"),
    Call("participation_record", lambda w, a: activity_services.participation_record(
        actor=a, activity=w.activity_published, data={"country": Country.objects.get(iso3="NPL"), "women": 2}),
        REVIEWERS, "Nepal's: Kenya's focal point records for Kenya only"),
    Call("participation_update", lambda w, a: activity_services.participation_update(
        actor=a, participation=w.participation_draft, data={"women": 5, "men": 2}), COUNTRY_FOCAL_OR_REVIEWERS,
        "Kenya's draft"),
    Call("participation_move", lambda w, a: activity_services.participation_move(
        actor=a, participation=w.participation_draft, action="submit"), COUNTRY_FOCAL_OR_REVIEWERS,
        "submit Kenya's draft"),
    Call("participation_move", lambda w, a: activity_services.participation_move(
        actor=a, participation=w.participation, action="publish"), REVIEWERS, "publish"),
    # --- National measures (actionplan/services/measures.py) ----------------------------------
    Call("measure_create", lambda w, a: measure_services.measure_create(actor=a, data=measure_fields(_kenya())),
         COUNTRY_FOCAL_OR_REVIEWERS, "Kenya's"),
    Call("measure_create", lambda w, a: measure_services.measure_create(
        actor=a, data=measure_fields(Country.objects.get(iso3="NPL"))), REVIEWERS, "Nepal's"),
    Call("measure_update", lambda w, a: measure_services.measure_update(actor=a, measure=w.measure_draft, data={
        **measure_services.measure_data(w.measure_draft), "title": "National Broadband Plan 2025–2035 adopted"}),
        COUNTRY_FOCAL_OR_REVIEWERS, "Kenya's draft"),
    Call("measure_move", lambda w, a: measure_services.measure_move(actor=a, measure=w.measure_draft, action="submit"),
         COUNTRY_FOCAL_OR_REVIEWERS, "submit Kenya's draft"),
    Call("measure_move", lambda w, a: measure_services.measure_move(
        actor=a, measure=w.measure_submitted, action="publish"), REVIEWERS, "publish"),
    Call("measure_move", lambda w, a: measure_services.measure_move(
        actor=a, measure=w.measure_published, action="withdraw"), COUNTRY_FOCAL_OR_REVIEWERS,
        "withdraw Kenya's published measure"),
    # --- Meetings (actionplan/services/meetings.py): the secretariat's -----------------------------
    Call("meeting_save", lambda w, a: meeting_services.meeting_save(actor=a, data=_meeting_data(
        w, slug="ap-is-steering-committee-10", start_date="2026-11-05", end_date="")), REVIEWERS, "a new meeting"),
    Call("meeting_save", lambda w, a: meeting_services.meeting_save(
        actor=a, meeting=w.meeting, data=_meeting_data(w, place="Bangkok and online")), REVIEWERS, "a meeting"),
    Call("meeting_delete", lambda w, a: meeting_services.meeting_delete(actor=a, meeting=w.meeting), REVIEWERS),
    Call("meeting_document_add", lambda w, a: meeting_services.meeting_document_add(
        actor=a, meeting=w.meeting, title="Report of the session", symbol="ESCAP/AP-IS/SC/2025/2"), REVIEWERS),
    Call("meeting_document_remove", lambda w, a: meeting_services.meeting_document_remove(
        actor=a, document=w.meeting_document), REVIEWERS),
    Call("meetings_load", lambda w, a: _loaded(meeting_services.meetings_load, a, MEETINGS),
         REVIEWERS, "a meetings file"),
    # --- Good practices (knowledge/services): shared for an entity, a country or the secretariat ---
    Call("practice_create", lambda w, a: practice_services.practice_create(actor=a, data=practice_fields(w.entity_a)),
         ENTITY_A, "for entity A"),
    Call("practice_create", lambda w, a: practice_services.practice_create(actor=a, data=practice_fields(
        None, shared_by="member_state", country=_kenya())), frozenset({"member_state_focal", "administrator"}),
        "for Kenya"),
    Call("practice_create", lambda w, a: practice_services.practice_create(actor=a, data=practice_fields(
        None, shared_by="member_state", country=Country.objects.get(iso3="NPL"))), ONLY_ADMINISTRATOR, "for Nepal"),
    Call("practice_create", lambda w, a: practice_services.practice_create(actor=a, data=practice_fields(
        None, shared_by="secretariat")), REVIEWERS, "for the secretariat"),
    Call("practice_update", lambda w, a: practice_services.practice_update(
        actor=a, practice=w.practice_draft, data=_practice_data(w.practice_draft, title="Solar labs in 40 schools")),
        ENTITY_A_OR_REVIEWERS, "entity A's draft"),
    Call("practice_move", lambda w, a: practice_services.practice_move(
        actor=a, practice=w.practice_draft, action="submit"), ENTITY_A, "submit entity A's draft"),
    Call("practice_move", lambda w, a: practice_services.practice_move(
        actor=a, practice=w.practice_submitted, action="publish"), REVIEWERS, "publish"),
    Call("practice_move", lambda w, a: practice_services.practice_move(
        actor=a, practice=w.practice_submitted, action="reject", comment="Not a practice."), REVIEWERS, "reject"),
    Call("practice_move", lambda w, a: practice_services.practice_move(
        actor=a, practice=w.practice_published, action="withdraw"), ENTITY_A, "withdraw entity A's published one"),
    Call("practice_assign", lambda w, a: practice_services.practice_assign(
        actor=a, practice=w.practice_submitted, reviewer=w.personas["reviewer"]), REVIEWERS),
    Call("practice_from_report", lambda w, a: practice_services.practice_from_report(
        actor=a, report=w.report_accepted), ENTITY_A_OR_KENYA, "an accepted report of entity A's pledge for Kenya"),
    Call("attachment_add", lambda w, a: attachment_services.attachment_add(
        actor=a, practice=w.practice_draft, files=[{"title": "Photos", "file": SimpleUploadedFile("photos.pdf", PDF)}]),
        ENTITY_A_OR_REVIEWERS, "to entity A's draft"),
    Call("attachment_remove", lambda w, a: attachment_services.attachment_remove(actor=a, attachment=w.attachment),
         ENTITY_A_OR_REVIEWERS, "from entity A's draft"),
    # --- Reports (reports/services.py): the secretariat's -------------------------------------------
    Call("report_request", lambda w, a: report_services.report_request(
        actor=a, kind="country-profile", language="fr", as_of=timezone.localdate(), params={"country": "KEN"}),
        REVIEWERS, "Kenya's country profile"),
    Call("report_publish", lambda w, a: report_services.report_publish(actor=a, build=w.report_done), REVIEWERS),
    Call("report_withdraw", lambda w, a: report_services.report_withdraw(actor=a, build=w.report_published),
         REVIEWERS),
    # --- Open data (opendata/services.py) ------------------------------------------------------------
    Call("dumps_rebuild_request", lambda w, a: opendata_services.dumps_rebuild_request(actor=a), REVIEWERS),
    Call("dumps_build", lambda w, a: opendata_services.dumps_build(actor=a, datasets=["reference"]), REVIEWERS,
         "the reference dataset's files"),
]

SERVICE_MODULES = [pledge_service_module, revision_service_module, comment_service_module, campaign_services, reporting_services, reminders, reporting_xlsx_reader,
                   account_services, entity_services, plan_services, activity_services, measure_services,
                   meeting_services, moderated_services, practice_services, attachment_services, opendata_services,
                   report_services]

# Public functions taking `actor` that are not in the table, and why.
NOT_IN_THE_TABLE = {
    # One-line wrappers of the transition services, which the table calls for each action.
    "pledge_submit": "pledge_transition", "pledge_publish": "pledge_transition",
    "pledge_request_changes": "pledge_transition", "pledge_reject": "pledge_transition",
    "pledge_withdraw": "pledge_transition",
    "report_transition": "called by report_submit, report_accept and report_return",
    "revision_transition": "called by revision_submit, _publish, _request_changes, _reject and _withdraw",
    # Helpers whose callers check permission first (no view or API calls them directly).
    "notification_send": "tells people of a change the calling service already decided; `actor` is who acted",
    # Acts only on the actor's own rows (filtered by recipient), so it refuses nobody signed in.
    "notifications_mark_read": "one's own notifications only; test_views_inbox",
    "plans_shipped_load": "plan_file_load for each file the project ships (its row is in the table)",
    "content_write": "the write path of moderated content; its calling services check permission and state",
    "pledge_fields_record": "the write path of another app's service about a pledge's fields "
                            "(pledge_reporting_reopen), which checks permission and state",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_only_the_people_allowed_call_the_service_and_a_refusal_changes_nothing(world, media, call, persona):
    actor = world.persona(persona)
    before = fingerprint(media)

    if persona in call.allowed:
        call.call(world, actor)
        assert changed(before, fingerprint(media)), "the call of this row should have written something"
        return
    with pytest.raises(PermissionDenied):
        call.call(world, actor)
    assert changed(before, fingerprint(media)) == []


def _services_taking_an_actor():
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                if "actor" in inspect.signature(function).parameters:
                    yield name


def test_every_service_taking_an_actor_has_a_decision_here():
    in_table = {call.service for call in CALLS}
    found = set(_services_taking_an_actor())

    assert found - in_table - set(NOT_IN_THE_TABLE) == set(), "add these services to CALLS or NOT_IN_THE_TABLE"
    assert (in_table | set(NOT_IN_THE_TABLE)) - found == set(), "these are no longer services"

"""Who may use each page that writes or shows private data: every persona against every such URL.

The table below is the documentation of who may do what on the web. Each row names a URL of the
site (every namespace: accounts, entities, pledges, reporting, actionplan, knowledge, explore), the
object it targets, the method and, for a POST, data that succeeds for the people allowed. Everyone
else is refused (anonymous visitors are sent to sign in; signed-in people get 403, or what the row
says: 404 for a record they may not even see) and the database, the outbox and the stored files
are exactly as before. Every allowed persona gets a success (200 or a redirect that is not
the sign-in page), and for a POST something was written, so a row cannot rot into testing a form
error. The guard at the end fails when a URL of the site is in neither the table nor the
list of public pages: a new endpoint needs a decision here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from coalition.reference.models import Country
from coalition.reporting.tests.reporting_xlsx_fixtures import filled, upload
from coalition.tests import permission_matrix as matrix
from coalition.tests.permission_matrix import (
    COUNTRY_FOCAL_OR_REVIEWERS,
    ENTITY_A,
    ENTITY_A_OR_KENYA,
    ENTITY_A_OR_REVIEWERS,
    ENTITY_FOCAL_POINTS_OR_REVIEWERS,
    EVERYONE,
    NOBODY,
    ONLY_ADMINISTRATOR,
    ONLY_PLEDGER_A,
    PDF,
    PERSONAS,
    REVIEWERS,
    SIGNED_IN,
    WORKING_GROUP_LEAD_OR_REVIEWERS,
    changed,
    fingerprint,
)

shared_world, world, media = matrix.shared_world, matrix.world, matrix.media


@dataclass(frozen=True)
class Page:
    url_name: str
    args: Callable = lambda w: []  # noqa: E731 - the URL's arguments, built from the World
    allowed: frozenset = NOBODY
    method: str = "GET"
    data: Callable | None = None  # POST body (or GET query) that succeeds for the allowed
    what: str = ""  # tells apart rows of the same URL
    refused_status: int = 403  # what a signed-in person who may not gets
    refused_as: dict = field(default_factory=dict)  # persona: status, where the app refuses otherwise
    public: bool = False  # no sign-in needed, so anonymous visitors are refused like the others

    def __str__(self) -> str:
        return f"{self.method} {self.url_name}" + (f" ({self.what})" if self.what else "")


def _value_step(w):
    return {"value_amount": "2000000", "value_currency": "EUR", "value_year": "2022",
            "start_date": "2023-01-01", "end_date": "2027-12-31"}


def _report_form(w, pledge=None):
    pledge = pledge or w.published
    return {
        "period_end": timezone.localdate().isoformat(), "implementation_status": "on_track", "share_delivered": "55",
        "narrative": "200 schools connected.", "target-0-actual_value": "200",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
    }


def _with_a_new_focal_point(w):
    entity = w.entity_a
    focal_point = entity.focal_points.get()
    return {
        "name": entity.name, "acronym": entity.acronym, "entity_type": entity.entity_type,
        "home_country": entity.home_country_id, "itu_membership": entity.itu_membership, "website": "",
        "description": "", "focal_points-TOTAL_FORMS": "2", "focal_points-INITIAL_FORMS": "1",
        "focal_points-0-id": focal_point.pk, "focal_points-0-entity": entity.pk, "focal_points-0-name": focal_point.name,
        "focal_points-0-email": focal_point.email, "focal_points-0-user": focal_point.user_id,
        "focal_points-1-entity": entity.pk, "focal_points-1-name": "Member-state focal",
        "focal_points-1-email": "ministry.focal@example.org", "focal_points-1-user": w.personas["member_state_focal"].pk,
    }


# Signed-in people who are not staff are sent to the administration's own sign-in page.
NOT_STAFF = {"pledger_a": 302, "pledger_b": 302, "member_state_focal": 302, "working_group_lead": 302}


def _pk(name):
    return lambda w: [getattr(w, name).pk]


def _action(code):
    return lambda w: [w.plan.slug, code]


def _progress(w):
    deliverable = f"deliverable-{w.deliverable.pk}"
    return {"status": "ongoing", f"{deliverable}-progress": "60", f"{deliverable}-status": "in_progress",
            f"{deliverable}-delivered_on": ""}


def _activity_form(w):
    return {"kind": "workshop", "title": "Mapping clinic, Almaty (two days)", "description": "", "start_date": "2024-05-02",
            "end_date": "2024-05-03", "place": "Almaty", "organisers": [w.entity_a.pk], "actions": [w.action.pk],
            "outputs": ""}


def _kenya(w):
    return Country.objects.get(iso3="KEN").pk


def _participation_form(w):
    return {"country": _kenya(w), "women": "4", "men": "3", "other": "0", "note": "From the ICT ministry."}


def _participation_counts(w):
    return {"women": "5", "men": "2", "other": "0", "note": ""}


def _measure_form(w):
    return {"country": _kenya(w), "kind": "law", "title": "Open-access fibre rules adopted",
            "description": "Operators share ducts and poles.", "adopted_on": "2025-04-01", "url": ""}


def _practice_form(w):
    return {"title": "Solar-powered labs in 40 rural schools", "summary": "Solar kits keep computer labs open.",
            "problem": "No grid power.", "approach": "Solar kits and a maintenance contract.",
            "results": "- 40 labs open every school day", "lessons": "", "cost": "", "contact_name": "",
            "contact_email": "", "pledges": ""}


def _campaign_form(w):
    return {"initiative": w.campaign.initiative_id, "name_en": "Connectivity summit", "start_date": "2026-03-01",
            "goal_pledges": "20"}


def _move(action):
    return lambda w: {"action": action, "comment": ""}


def _file(name="photos.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# Everyone signed in who may share a good practice for someone: all but the working-group lead,
# who acts for no entity, no country and not for the secretariat.
SHARERS = SIGNED_IN - {"working_group_lead"}


def _sharing_as(allowed):
    """The new-practice form offers each person only the sharers they act for: any other is a
    form error (200)."""
    return {persona: 200 for persona in SHARERS - allowed}


PAGES = [
    # --- Pledging ---------------------------------------------------------------------------------
    Page("reporting:mine", allowed=SIGNED_IN, what="each sees their own entities' pledges"),
    Page("pledges:new", allowed=ENTITY_FOCAL_POINTS_OR_REVIEWERS, what="needs an entity to pledge for"),
    Page("pledges:new", method="POST", allowed=ENTITY_A_OR_REVIEWERS, what="a draft for entity A",
         data=lambda w: {"lead_entity": w.entity_a.pk, "initiative": w.draft.initiative_id, "title": "Solar hubs",
                         "description": "Solar-powered hubs.", "pledge_type": "programmatic"},
         # The form offers pledger_b only entity B: entity A is not a valid choice, the form says so.
         refused_as={"pledger_b": 200}),
    Page("pledges:edit", args=lambda w: [w.draft.pk, "basics"], allowed=ENTITY_A_OR_REVIEWERS, what="draft"),
    Page("pledges:edit", args=lambda w: [w.draft.pk, "value"], method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         data=_value_step, what="draft"),
    Page("pledges:edit", args=lambda w: [w.revised.pk, "value"], method="POST", allowed=ENTITY_A,
         data=_value_step, what="the open revision of a published pledge"),
    Page("pledges:edit", args=lambda w: [w.rejected.pk, "basics"], method="POST", allowed=NOBODY,
         data=lambda w: {"title": "Changed after rejection"}, what="a rejected pledge is a record",
         # Those who edit entity A's pledges are sent back to its preview, with the reason.
         refused_as={"pledger_a": 302, "reviewer": 302, "administrator": 302}),
    Page("pledges:preview", args=_pk("draft"), allowed=ENTITY_A_OR_REVIEWERS),
    Page("pledges:submit", args=_pk("draft"), method="POST", allowed=ENTITY_A),
    Page("pledges:delete", args=_pk("draft"), allowed=ENTITY_A_OR_REVIEWERS, what="the confirmation"),
    Page("pledges:delete", args=_pk("draft"), method="POST", allowed=ENTITY_A_OR_REVIEWERS),
    Page("explore:pledge", args=_pk("published"), allowed=EVERYONE, public=True, what="published"),
    Page("explore:pledge", args=_pk("draft"), allowed=NOBODY, public=True, refused_status=404,
         what="a draft does not exist for the public"),
    # --- Revisions and history --------------------------------------------------------------------
    Page("pledges:revision_start", args=_pk("published"), allowed=ENTITY_A),
    Page("pledges:revision_start", args=_pk("published"), method="POST", allowed=ENTITY_A,
         data=lambda w: {"reason": "Two more counties."}),
    Page("pledges:revision", args=_pk("revised"), allowed=ENTITY_A),
    Page("pledges:revision", args=_pk("revised"), method="POST", allowed=ENTITY_A,
         data=lambda w: {"action": "submit"}, what="submit"),
    Page("explore:entity_history", args=_pk("entity_a"), allowed=ENTITY_A),
    # --- A pledge's conversation: its pledgers, the secretariat and, once it is published, the
    # focal points of the countries it benefits (member_state_focal acts for Kenya).
    Page("pledges:discussion", args=_pk("submitted"), allowed=ENTITY_A_OR_REVIEWERS, what="under review"),
    Page("pledges:discussion", args=_pk("submitted"), method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         data=lambda w: {"body": "Which counties?"}, what="under review"),
    Page("pledges:discussion", args=_pk("published"), allowed=ENTITY_A_OR_REVIEWERS | {"member_state_focal"},
         what="published, for Kenya"),
    Page("pledges:discussion", args=_pk("published"), method="POST",
         allowed=ENTITY_A_OR_REVIEWERS | {"member_state_focal"}, data=lambda w: {"body": "We can help."},
         what="published, for Kenya"),
    Page("pledges:country_pledges", args=lambda w: ["KEN"], allowed=REVIEWERS | {"member_state_focal"}),
    Page("reporting:report_comment", args=_pk("report_submitted"), method="POST",
         allowed=ENTITY_A_OR_REVIEWERS | {"member_state_focal"}, data=lambda w: {"body": "Is the report public?"}),
    # --- Review of pledges ------------------------------------------------------------------------
    Page("reporting:review_home", allowed=REVIEWERS),
    Page("pledges:review_queue", allowed=REVIEWERS),
    Page("pledges:review_queue", method="POST", allowed=REVIEWERS, data=lambda w: {"pledge": w.submitted.pk},
         what="assign to me"),
    Page("pledges:review_detail", args=_pk("submitted"), allowed=REVIEWERS),
    Page("pledges:review_detail", args=_pk("submitted"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "start_review", "comment": ""}, what="start review"),
    Page("pledges:review_detail", args=_pk("submitted"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "assign_me", "comment": ""}, what="assign to me"),
    Page("pledges:review_detail", args=_pk("under_review"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "revision_publish", "comment": "Fine."}, what="publish a revision"),
    # Submitting and withdrawing are the lead entity's decisions, not the reviewers' (administrators
    # act for every entity).
    Page("pledges:review_detail", args=_pk("draft"), method="POST", allowed=ONLY_ADMINISTRATOR,
         data=lambda w: {"action": "submit", "comment": ""}, what="submit entity A's draft"),
    Page("pledges:review_detail", args=_pk("published"), method="POST", allowed=ONLY_ADMINISTRATOR,
         data=lambda w: {"action": "withdraw", "comment": ""}, what="withdraw entity A's published pledge"),
    # --- Progress reports -------------------------------------------------------------------------
    Page("reporting:report_new", args=_pk("published"), allowed=ENTITY_A),
    Page("reporting:report_new", args=_pk("published"), method="POST", allowed=ENTITY_A, data=_report_form),
    Page("reporting:report_edit", args=_pk("report_draft"), allowed=ENTITY_A, what="draft"),
    Page("reporting:report_edit", args=_pk("report_draft"), method="POST", allowed=ENTITY_A,
         data=lambda w: _report_form(w, w.reported), what="save the draft"),
    Page("reporting:report_edit", args=_pk("report_submitted"), allowed=ENTITY_A, what="submitted, read-only"),
    Page("reporting:report_delete", args=_pk("report_draft"), allowed=ENTITY_A, what="the confirmation"),
    Page("reporting:report_delete", args=_pk("report_draft"), method="POST", allowed=ENTITY_A),
    Page("reporting:report_evidence_file", args=_pk("evidence"), allowed=ENTITY_A_OR_REVIEWERS),
    Page("reporting:report_upload", allowed=frozenset({"pledger_a", "pledger_b", "administrator"}),
         what="for one's own entities"),
    Page("reporting:report_upload", method="POST", allowed=ENTITY_A, what="entity A's workbook",
         data=lambda w: {"entity": w.entity_a.pk, "file": upload(filled(w.entity_a))}),
    Page("reporting:report_template", allowed=ENTITY_A, data=lambda w: {"entity": w.entity_a.pk},
         what="entity A's template"),
    # An upload's page is its uploader's (and administrators'); to anyone else it does not exist.
    Page("reporting:report_upload_run", args=_pk("upload_run"), allowed=ENTITY_A, refused_status=404,
         what="pledger_a's upload"),
    Page("reporting:report_review_queue", allowed=REVIEWERS),
    Page("reporting:report_review_queue", method="POST", allowed=REVIEWERS,
         data=lambda w: {"report": w.report_submitted.pk}, what="assign to me"),
    Page("reporting:report_review", args=_pk("report_submitted"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "assign_me"}, what="assign to me"),
    Page("reporting:report_review", args=_pk("report_submitted"), allowed=REVIEWERS),
    Page("reporting:report_review", args=_pk("report_submitted"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "accept", "verification_level": "documented", "comment": ""}, what="accept"),
    Page("reporting:report_review", args=_pk("report_submitted"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"action": "return", "comment": "Add the county list."}, what="return"),
    Page("reporting:followup", allowed=REVIEWERS),
    Page("reporting:followup_send", method="POST", allowed=REVIEWERS),
    Page("reporting:reporting_reopen", args=_pk("completed"), allowed=REVIEWERS),
    Page("reporting:reporting_reopen", args=_pk("completed"), method="POST", allowed=REVIEWERS,
         data=lambda w: {"reason": "A second phase was funded."}),
    # --- Campaigns, the secretariat's --------------------------------------------------------------
    Page("pledges:campaign_manage", allowed=REVIEWERS),
    Page("pledges:campaign_new", allowed=REVIEWERS),
    Page("pledges:campaign_new", method="POST", allowed=REVIEWERS, data=_campaign_form),
    Page("pledges:campaign_edit", args=lambda w: [w.campaign.slug], allowed=REVIEWERS),
    Page("pledges:campaign_edit", args=lambda w: [w.campaign.slug], method="POST", allowed=REVIEWERS,
         data=lambda w: {**_campaign_form(w), "slug": w.campaign.slug, "name_en": "Matrix forum 2025"}),
    Page("reporting:money_awaiting_rates", allowed=REVIEWERS),
    # --- My account -------------------------------------------------------------------------------
    Page("accounts:home", allowed=SIGNED_IN),
    Page("accounts:home", method="POST", allowed=SIGNED_IN, what="one's own profile",
         data=lambda w: {"full_name": "A New Name", "preferred_language": "fr"}),
    Page("accounts:notifications", allowed=SIGNED_IN),
    Page("accounts:inbox", allowed=SIGNED_IN),
    # A notification is its recipient's; to anyone else it does not exist.
    Page("accounts:inbox_open", args=_pk("notification"), allowed=ONLY_PLEDGER_A, refused_status=404,
         what="pledger_a's"),
    Page("accounts:notifications", method="POST", allowed=SIGNED_IN, what="one's own preferences",
         data=lambda w: {"review_decision": "on"}),
    Page("accounts:password_change", allowed=SIGNED_IN),
    Page("accounts:password_change", method="POST", allowed=SIGNED_IN, what="one's own password",
         data=lambda w: {"old_password": "x-Pass-123456", "new_password1": "An0ther-long-pass",
                         "new_password2": "An0ther-long-pass"}),
    Page("accounts:password_change_done", allowed=SIGNED_IN),
    Page("accounts:api_tokens", allowed=SIGNED_IN),
    Page("accounts:api_tokens", method="POST", allowed=SIGNED_IN, what="a token of one's own",
         data=lambda w: {"name": "Nightly export"}),
    Page("accounts:api_token_revoke", args=_pk("token"), method="POST", allowed=ONLY_PLEDGER_A | ONLY_ADMINISTRATOR,
         what="pledger_a's token: its owner, or an administrator"),
    # --- Access requests --------------------------------------------------------------------------
    Page("entities:request_access", allowed=SIGNED_IN),
    Page("entities:request_join", method="POST", allowed=SIGNED_IN, data=lambda w: {"entity": w.entity_c.pk}),
    Page("entities:request_new_entity", method="POST", allowed=SIGNED_IN,
         data=lambda w: {"name": "Island Connect", "entity_type": "private_sector"}),
    Page("entities:request_country", method="POST", allowed=SIGNED_IN,
         data=lambda w: {"country": Country.objects.get(iso3="VUT").pk}),
    Page("entities:access_requests", allowed=ENTITY_FOCAL_POINTS_OR_REVIEWERS),
    Page("entities:access_requests", method="POST", allowed=REVIEWERS, data=lambda w: {"request": w.access_request.pk},
         what="assign to me", refused_as={"member_state_focal": 403}),
    Page("entities:access_request_decide", args=_pk("access_request"), method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         data=lambda w: {"decision": "approve"}, what="a newcomer joins entity A"),
    Page("entities:access_request_decide", args=_pk("access_request"), method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         data=lambda w: {"decision": "decline", f"{w.access_request.pk}-reason": "We do not know you."},
         what="decline a join to entity A"),
    Page("entities:access_request_decide", args=_pk("own_access_request"), method="POST",
         allowed=ONLY_ADMINISTRATOR, data=lambda w: {"decision": "approve"},
         what="nobody decides their own request: the reviewer asked"),
    # --- The action plan (its plan, pillar and action pages are public by design): a working-group
    # lead (of pillar P1) and the secretariat keep an action's progress up to date.
    Page("actionplan:action_update", args=_action("1.1"), allowed=WORKING_GROUP_LEAD_OR_REVIEWERS,
         what="an action of pillar P1"),
    Page("actionplan:action_update", args=_action("1.1"), method="POST", allowed=WORKING_GROUP_LEAD_OR_REVIEWERS,
         data=_progress, what="an action of pillar P1"),
    Page("actionplan:action_update", args=_action("2.1"), allowed=REVIEWERS,
         what="an action of pillar P2, whose working group the lead does not lead"),
    # --- Activities: recorded by the secretariat and the working-group leads. One nobody may see yet
    # is a 404 for everyone else; one they see but may not act on, a 403.
    Page("actionplan:activity_new", allowed=WORKING_GROUP_LEAD_OR_REVIEWERS),
    Page("actionplan:activity_new", method="POST", allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, data=_activity_form),
    Page("actionplan:activity", args=_pk("activity_published"), allowed=EVERYONE, public=True, what="published"),
    Page("actionplan:activity", args=_pk("activity_lead_draft"), allowed=WORKING_GROUP_LEAD_OR_REVIEWERS,
         public=True, refused_status=404, what="the lead's draft"),
    Page("actionplan:activity", args=_pk("activity_draft"), allowed=REVIEWERS, public=True, refused_status=404,
         what="the secretariat's draft for pillar P2"),
    Page("actionplan:activity_edit", args=_pk("activity_lead_draft"), allowed=WORKING_GROUP_LEAD_OR_REVIEWERS,
         refused_status=404, what="the lead's draft"),
    Page("actionplan:activity_edit", args=_pk("activity_lead_draft"), method="POST",
         allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, refused_status=404, data=_activity_form, what="the lead's draft"),
    Page("actionplan:activity_edit", args=_pk("activity_draft"), method="POST", allowed=REVIEWERS, refused_status=404,
         data=_activity_form, what="the secretariat's draft for pillar P2"),
    Page("actionplan:activity_edit", args=_pk("activity_published"), method="POST", allowed=NOBODY,
         data=_activity_form, what="a published activity is a record",
         # Those who record it are sent back to its page, with the reason.
         refused_as={"working_group_lead": 302, "reviewer": 302, "administrator": 302}),
    Page("actionplan:activity_move", args=_pk("activity_lead_draft"), method="POST",
         allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, refused_status=404, data=_move("submit"), what="submit the lead's draft"),
    Page("actionplan:activity_move", args=_pk("activity_draft"), method="POST", allowed=REVIEWERS, refused_status=404,
         data=_move("submit"), what="submit the secretariat's draft for pillar P2"),
    Page("actionplan:activity_move", args=_pk("activity_submitted"), method="POST", allowed=REVIEWERS,
         refused_status=404, data=_move("publish"), what="publish: the reviewers' decision",
         # Its author sees it, but does not decide on it.
         refused_as={"working_group_lead": 403}),
    Page("actionplan:activity_move", args=_pk("activity_published"), method="POST",
         allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, data=_move("withdraw"), what="withdraw a published activity of P1"),
    Page("actionplan:activity_document_add", args=_pk("activity_published"), allowed=WORKING_GROUP_LEAD_OR_REVIEWERS,
         what="to a published activity of P1"),
    Page("actionplan:activity_document_add", args=_pk("activity_published"), method="POST",
         allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, data=lambda w: {"title": "Slides", "url": "https://example.org/slides"},
         what="to a published activity of P1"),
    Page("actionplan:activity_document_remove", args=lambda w: [w.activity_lead_draft.pk, w.activity_document.pk],
         method="POST", allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, refused_status=404, what="from the lead's draft"),
    Page("actionplan:activity_document_file", args=lambda w: [w.activity_published.pk, w.published_document.pk],
         allowed=EVERYONE, public=True, what="of a published activity"),
    Page("actionplan:activity_document_file", args=lambda w: [w.activity_lead_draft.pk, w.activity_document.pk],
         allowed=WORKING_GROUP_LEAD_OR_REVIEWERS, public=True, refused_status=404, what="of the lead's draft"),
    # --- Participation: a country's focal points record their country's (member_state_focal acts
    # for Kenya); reviewers record any country's.
    Page("actionplan:participation_new", args=_pk("activity_published"), allowed=COUNTRY_FOCAL_OR_REVIEWERS),
    Page("actionplan:participation_new", args=_pk("activity_published"), method="POST",
         allowed=COUNTRY_FOCAL_OR_REVIEWERS, data=_participation_form, what="Kenya's"),
    Page("actionplan:participation_edit", args=_pk("participation"), allowed=COUNTRY_FOCAL_OR_REVIEWERS,
         refused_status=404, what="Kenya's, submitted"),
    Page("actionplan:participation_edit", args=_pk("participation_draft"), method="POST",
         allowed=COUNTRY_FOCAL_OR_REVIEWERS, refused_status=404, data=_participation_counts, what="Kenya's draft"),
    Page("actionplan:participation_edit", args=_pk("participation"), method="POST", allowed=REVIEWERS,
         refused_status=404, data=_participation_counts, what="Kenya's, submitted: the reviewers' to edit now",
         refused_as={"member_state_focal": 403}),
    Page("actionplan:participation_move", args=_pk("participation_draft"), method="POST",
         allowed=COUNTRY_FOCAL_OR_REVIEWERS, refused_status=404, data=_move("submit"), what="submit Kenya's draft"),
    Page("actionplan:participation_move", args=_pk("participation"), method="POST", allowed=REVIEWERS,
         refused_status=404, data=_move("publish"), what="publish: the reviewers' decision",
         refused_as={"member_state_focal": 403}),
    # --- National measures: the country's focal points and the reviewers.
    Page("actionplan:measure_new", allowed=COUNTRY_FOCAL_OR_REVIEWERS),
    Page("actionplan:measure_new", method="POST", allowed=COUNTRY_FOCAL_OR_REVIEWERS, data=_measure_form,
         what="Kenya's"),
    Page("actionplan:measure_new", method="POST", allowed=REVIEWERS, what="Nepal's",
         data=lambda w: {**_measure_form(w), "country": Country.objects.get(iso3="NPL").pk},
         # The form offers Kenya's focal point Kenya only: Nepal is not a valid choice, the form says so.
         refused_as={"member_state_focal": 200}),
    Page("actionplan:measure", args=_pk("measure_published"), allowed=EVERYONE, public=True, what="published"),
    Page("actionplan:measure", args=_pk("measure_draft"), allowed=COUNTRY_FOCAL_OR_REVIEWERS, public=True,
         refused_status=404, what="Kenya's draft"),
    Page("actionplan:measure_edit", args=_pk("measure_draft"), allowed=COUNTRY_FOCAL_OR_REVIEWERS, refused_status=404,
         what="Kenya's draft"),
    Page("actionplan:measure_edit", args=_pk("measure_draft"), method="POST", allowed=COUNTRY_FOCAL_OR_REVIEWERS,
         refused_status=404, data=_measure_form, what="Kenya's draft"),
    Page("actionplan:measure_edit", args=_pk("measure_submitted"), method="POST", allowed=REVIEWERS,
         refused_status=404, data=_measure_form, what="Kenya's, submitted: the reviewers' to edit now",
         # Its focal point is sent back to its page, with the reason.
         refused_as={"member_state_focal": 302}),
    Page("actionplan:measure_move", args=_pk("measure_draft"), method="POST", allowed=COUNTRY_FOCAL_OR_REVIEWERS,
         refused_status=404, data=_move("submit"), what="submit Kenya's draft"),
    Page("actionplan:measure_move", args=_pk("measure_submitted"), method="POST", allowed=REVIEWERS,
         refused_status=404, data=_move("publish"), what="publish: the reviewers' decision",
         refused_as={"member_state_focal": 403}),
    Page("actionplan:measure_move", args=_pk("measure_published"), method="POST", allowed=COUNTRY_FOCAL_OR_REVIEWERS,
         data=_move("withdraw"), what="withdraw Kenya's published measure"),
    # --- The secretariat's review of activities, participations and measures.
    Page("actionplan:review_queue", allowed=REVIEWERS),
    Page("actionplan:review_queue", method="POST", allowed=REVIEWERS,
         data=lambda w: {"kind": "activity", "pk": w.activity_submitted.pk}, what="assign to me"),
    Page("actionplan:review_activity", args=_pk("activity_submitted"), allowed=REVIEWERS),
    Page("actionplan:review_activity", args=_pk("activity_submitted"), method="POST", allowed=REVIEWERS,
         data=_move("publish"), what="publish"),
    Page("actionplan:review_participation", args=_pk("participation"), allowed=REVIEWERS),
    Page("actionplan:review_participation", args=_pk("participation"), method="POST", allowed=REVIEWERS,
         data=_move("publish"), what="publish"),
    Page("actionplan:review_measure", args=_pk("measure_submitted"), allowed=REVIEWERS),
    Page("actionplan:review_measure", args=_pk("measure_submitted"), method="POST", allowed=REVIEWERS,
         data=_move("publish"), what="publish"),
    # --- Good practices (the library is public by design): shared for an entity by its focal
    # points, for a country by its focal points, for the secretariat by the reviewers.
    Page("knowledge:mine", allowed=SIGNED_IN, what="each sees the practices they may act on"),
    Page("knowledge:new", allowed=SHARERS, what="needs someone to share for"),
    Page("knowledge:new", method="POST", allowed=ONLY_PLEDGER_A, what="for entity A",
         data=lambda w: {"sharer": f"pledger:{w.entity_a.pk}", "title": "Tablets for midwives"},
         # Administrators act for entity A, but share for it from the administration.
         refused_as=_sharing_as(ONLY_PLEDGER_A)),
    Page("knowledge:new", method="POST", allowed=frozenset({"member_state_focal"}), what="for Kenya",
         data=lambda w: {"sharer": "member_state:KEN", "title": "A national broadband map"},
         refused_as=_sharing_as({"member_state_focal"})),
    Page("knowledge:new", method="POST", allowed=REVIEWERS, what="for the secretariat",
         data=lambda w: {"sharer": "secretariat", "title": "Regional spectrum toolkit"},
         refused_as=_sharing_as(REVIEWERS)),
    Page("knowledge:practice", args=_pk("practice_published"), allowed=EVERYONE, public=True, what="published"),
    Page("knowledge:practice", args=_pk("practice_draft"), allowed=ENTITY_A_OR_REVIEWERS, public=True,
         refused_status=404, what="entity A's draft"),
    Page("knowledge:edit", args=_pk("practice_draft"), allowed=ENTITY_A_OR_REVIEWERS, refused_status=404,
         what="entity A's draft"),
    Page("knowledge:edit", args=_pk("practice_draft"), method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         refused_status=404, data=_practice_form, what="entity A's draft"),
    Page("knowledge:edit", args=_pk("practice_submitted"), method="POST", allowed=REVIEWERS, refused_status=404,
         data=_practice_form, what="submitted: the reviewers' to edit now",
         # Its author is sent back to its page, with the reason.
         refused_as={"pledger_a": 302}),
    Page("knowledge:move", args=_pk("practice_draft"), method="POST", allowed=ENTITY_A, refused_status=404,
         data=_move("submit"), what="submit entity A's draft",
         # Reviewers see it, but submitting is its authors' decision.
         refused_as={"reviewer": 403}),
    Page("knowledge:move", args=_pk("practice_submitted"), method="POST", allowed=REVIEWERS, refused_status=404,
         data=_move("publish"), what="publish: the reviewers' decision", refused_as={"pledger_a": 403}),
    Page("knowledge:move", args=_pk("practice_published"), method="POST", allowed=ENTITY_A, data=_move("withdraw"),
         what="withdraw entity A's published practice"),
    Page("knowledge:attachments", args=_pk("practice_draft"), allowed=ENTITY_A_OR_REVIEWERS, refused_status=404,
         what="entity A's draft"),
    Page("knowledge:attachments", args=_pk("practice_draft"), method="POST", allowed=ENTITY_A_OR_REVIEWERS,
         refused_status=404, data=lambda w: {"title": "Photos", "file": _file()}, what="entity A's draft"),
    Page("knowledge:attachment_remove", args=lambda w: [w.practice_draft.pk, w.attachment.pk], method="POST",
         allowed=ENTITY_A_OR_REVIEWERS, refused_status=404, what="from entity A's draft"),
    Page("knowledge:attachment_file", args=lambda w: [w.practice_published.pk, w.published_attachment.pk],
         allowed=EVERYONE, public=True, what="of a published practice"),
    Page("knowledge:attachment_file", args=lambda w: [w.practice_draft.pk, w.attachment.pk],
         allowed=ENTITY_A_OR_REVIEWERS, public=True, refused_status=404, what="of entity A's draft"),
    # A practice from an accepted report: shared by the pledge's entity, or by a country it benefits.
    Page("knowledge:from_report", args=_pk("report_accepted"), method="POST", allowed=ENTITY_A_OR_KENYA,
         what="an accepted report of entity A's pledge for Kenya"),
    Page("knowledge:review_queue", allowed=REVIEWERS),
    Page("knowledge:review_queue", method="POST", allowed=REVIEWERS,
         data=lambda w: {"practice": w.practice_submitted.pk}, what="assign to me"),
    Page("knowledge:review", args=_pk("practice_submitted"), allowed=REVIEWERS),
    Page("knowledge:review", args=_pk("practice_submitted"), method="POST", allowed=REVIEWERS,
         data=_move("publish"), what="publish"),
    # --- The administration's writes (through the services); others go to the admin's sign-in ---
    Page("admin:entities_entity_change", args=_pk("entity_a"), method="POST", allowed=ONLY_ADMINISTRATOR,
         data=_with_a_new_focal_point, what="make someone a focal point of entity A",
         # The reviewer's save keeps the entity as it was, and the inline takes no new row.
         refused_as={"reviewer": 302, **NOT_STAFF}),
    Page("admin:entities_entity_add", method="POST", allowed=REVIEWERS, refused_as=NOT_STAFF,
         data=lambda w: {"name": "Island Connect", "entity_type": "private_sector", "itu_membership": "none",
                         "focal_points-TOTAL_FORMS": "0", "focal_points-INITIAL_FORMS": "0"}),
    Page("admin:pledges_pledge_delete", args=_pk("draft"), method="POST", allowed=ONLY_ADMINISTRATOR,
         data=lambda w: {"post": "yes"}, what="entity A's draft", refused_as=NOT_STAFF),
    Page("admin:reporting_progressreport_changelist", method="POST", allowed=REVIEWERS, refused_as=NOT_STAFF,
         data=lambda w: {"action": "report_accept", "_selected_action": [w.report_submitted.pk],
                         "verification_level": "documented", "comment": ""}, what="accept a report"),
    Page("admin:actionplan_workinggrouplead_add", method="POST", allowed=REVIEWERS, refused_as=NOT_STAFF,
         data=lambda w: {"pillar": w.pillar.pk, "user": w.personas["pledger_b"].pk}, what="appoint a lead of P1"),
    Page("admin:actionplan_activity_changelist", method="POST", allowed=REVIEWERS, refused_as=NOT_STAFF,
         data=lambda w: {"action": "activity_publish", "_selected_action": [w.activity_submitted.pk], "comment": ""},
         what="publish an activity"),
    Page("admin:knowledge_goodpractice_changelist", method="POST", allowed=REVIEWERS, refused_as=NOT_STAFF,
         data=lambda w: {"action": "practice_publish", "_selected_action": [w.practice_submitted.pk], "comment": ""},
         what="publish a practice"),
    # --- Reports (reports/views/): the archive is public; builds are the secretariat's -----------
    Page("reports:pdf", args=_pk("report_published"), allowed=EVERYONE, public=True, what="a published report"),
    Page("reports:pdf", args=_pk("report_done"), allowed=REVIEWERS, refused_status=404, public=True,
         what="a build not published, for its preview"),
    Page("reports:json", args=_pk("report_published"), allowed=EVERYONE, public=True, what="a published report"),
    Page("reports:json", args=_pk("report_done"), allowed=REVIEWERS, refused_status=404, public=True,
         what="a build not published, for its preview"),
    Page("reports:new", allowed=REVIEWERS),
    Page("reports:new", method="POST", allowed=REVIEWERS, what="a country profile",
         data=lambda w: {"kind": "country-profile", "language": "fr", "as_of": timezone.localdate().isoformat(),
                         "country": "KEN"}),
    Page("reports:build", args=_pk("report_done"), allowed=REVIEWERS),
    Page("reports:publish", args=_pk("report_done"), method="POST", allowed=REVIEWERS),
    Page("reports:withdraw", args=_pk("report_published"), method="POST", allowed=REVIEWERS),
    # --- Open data (opendata/views/pages.py) ------------------------------------------------------
    Page("opendata:rebuild", method="POST", allowed=REVIEWERS, what="queue a rebuild of the open-data files"),
]

# Pages anyone may use by design: they show nothing private, and what they write is the visitor's
# own sign-up, sign-in or password reset (each has its own tests).
PUBLIC_BY_DESIGN = {
    "explore:home", "explore:dashboard", "explore:dashboard_csv", "explore:explorer",
    "explore:entity", "explore:countries", "explore:country", "explore:groups", "explore:group",
    "explore:compare", "explore:profile", "explore:gap", "explore:gap_csv", "explore:country_action_plan",
    "explore:campaigns", "explore:campaign",
    "actionplan:plans", "actionplan:plan", "actionplan:pillar", "actionplan:action", "actionplan:meetings",
    "actionplan:meeting", "actionplan:calendar", "actionplan:calendar_ics", "knowledge:library",
    "accounts:sign_up", "accounts:verification_resend", "accounts:verify", "accounts:login", "accounts:logout",
    "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "reports:archive", "reports:report", "reports:country_profile",
    "opendata:index", "opendata:dictionary", "opendata:dataset", "opendata:file", "opendata:selection",
}


def _request(client, page, world):
    data = page.data(world) if page.data else {}
    url = reverse(page.url_name, args=page.args(world))
    if page.method == "POST":
        return client.post(url, data)
    return client.get(url, data)


def _is_sign_in_redirect(response) -> bool:
    sign_in = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))
    return response.status_code == 302 and response.url.startswith(sign_in)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_only_the_people_allowed_use_the_page_and_a_refusal_changes_nothing(client, world, media, page, persona):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    before = fingerprint(media)

    response = _request(client, page, world)

    after = fingerprint(media)
    if persona in page.allowed:
        assert response.status_code in (200, 302), response.status_code
        assert not _is_sign_in_redirect(response)
        if page.method == "POST":
            assert changed(before, after), "the POST data of this row should have written something"
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return
    if persona == "anonymous" and not page.public:
        assert _is_sign_in_redirect(response), response.status_code
    else:
        assert response.status_code == page.refused_as.get(persona, page.refused_status)
    assert changed(before, after) == []


def _namespace_url_names(namespace: str) -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    return {f"{namespace}:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}


NAMESPACES = ("accounts", "entities", "pledges", "reporting", "actionplan", "knowledge", "explore", "opendata", "reports")


def test_every_url_of_the_site_has_a_decision_here():
    urls = set().union(*(_namespace_url_names(namespace) for namespace in NAMESPACES))
    in_matrix = {page.url_name for page in PAGES if not page.url_name.startswith("admin:")}

    assert urls - in_matrix - PUBLIC_BY_DESIGN == set(), "add these URLs to PAGES or to PUBLIC_BY_DESIGN"
    assert (in_matrix | PUBLIC_BY_DESIGN) - urls == set(), "these names are no longer URLs"
    assert in_matrix & PUBLIC_BY_DESIGN <= {"explore:pledge"}


def test_every_row_lets_someone_in_except_where_the_app_hides_the_object():
    assert [str(page) for page in PAGES if not page.allowed] == [
        "POST pledges:edit (a rejected pledge is a record)", "GET explore:pledge (a draft does not exist for the public)",
        "POST actionplan:activity_edit (a published activity is a record)"]
    assert all(set(page.allowed) <= set(PERSONAS) for page in PAGES)


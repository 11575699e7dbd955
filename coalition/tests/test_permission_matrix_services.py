"""Who may call each service that writes: every persona against every writing service.

The table is the documentation of who may do what, whatever the caller (view, API, admin,
command). A refused persona gets `PermissionDenied` and the database, outbox and stored files
are exactly as before; every allowed persona's call succeeds. The guard at the end fails when a
public function taking `actor` in a service module is neither in the table nor listed as a
wrapper or helper, so a new service needs a decision here.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from coalition.accounts import services as account_services
from coalition.entities import services as entity_services
from coalition.pledges import services
from coalition.pledges.content import pledge_data, revision_data_load
from coalition.pledges.services import comments as comment_service_module
from coalition.pledges.services import pledges as pledge_service_module
from coalition.pledges.services import revisions as revision_service_module
from coalition.reference.models import Country
from coalition.reporting import reminders
from coalition.reporting import services as reporting_services
from coalition.reporting.tests.reporting_xlsx_fixtures import filled, upload
from coalition.reporting.xlsx import reader as reporting_xlsx_reader
from coalition.tests import permission_matrix as matrix
from coalition.tests.permission_matrix import (
    ENTITY_A,
    ENTITY_A_OR_REVIEWERS,
    ONLY_ADMINISTRATOR,
    ONLY_PLEDGER_A,
    PERSONAS,
    REVIEWERS,
    SIGNED_IN,
    changed,
    fingerprint,
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
    Call("api_token_revoke", lambda w, a: account_services.api_token_revoke(actor=a, token=w.token), ONLY_PLEDGER_A,
         "pledger_a's token"),
]

SERVICE_MODULES = [pledge_service_module, revision_service_module, comment_service_module, reporting_services, reminders, reporting_xlsx_reader,
                   account_services, entity_services]

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

"""The good-practice admin goes through the services: creation, edits, decisions."""

from django.urls import reverse

from coalition.knowledge.models import GoodPractice

LIST = "admin:knowledge_goodpractice_changelist"
INLINES = {f"{prefix}-{key}": value for prefix in ("attachments", "transitions")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))}


def _fields(practice_fields) -> dict:
    data = {name: value for name, value in practice_fields.items() if isinstance(value, str)}
    data["countries"] = [c.pk for c in practice_fields["countries"]]
    return {**data, **INLINES}


def test_an_administrator_creates_a_practice_through_the_service(client, administrator, practice_fields, countries):
    client.force_login(administrator)
    response = client.post(reverse("admin:knowledge_goodpractice_add"), {
        **_fields(practice_fields), "shared_by": "member_state", "country": countries["BTN"].pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice = GoodPractice.objects.get()
    assert (practice.shared_by, practice.country, practice.created_by) == ("member_state", countries["BTN"], administrator)
    assert GoodPractice.history.get(id=practice.pk).history_change_reason == "created"
    assert practice.search.document.startswith("community telecentres")


def test_a_sharer_without_its_country_is_refused_on_the_form(client, administrator, practice_fields):
    client.force_login(administrator)
    page = client.post(reverse("admin:knowledge_goodpractice_add"), {**_fields(practice_fields),
                                                                      "shared_by": "member_state"})
    assert page.status_code == 200
    assert "country" in page.context["adminform"].form.errors
    assert not GoodPractice.objects.exists()


def test_decisions_are_taken_through_the_workflow(client, administrator, submitted):
    client.force_login(administrator)
    client.post(reverse(LIST), {"action": "practice_reject", "_selected_action": [submitted.pk], "comment": ""})
    submitted.refresh_from_db()
    assert submitted.status == "submitted"  # a rejection needs a comment
    client.post(reverse(LIST), {"action": "practice_publish", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.transitions.last().actor) == ("published", administrator)


def test_a_published_practice_is_read_only_in_the_admin(client, administrator, published_practice):
    client.force_login(administrator)
    page = client.get(reverse("admin:knowledge_goodpractice_change", args=[published_practice.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False


def test_a_pledger_has_no_admin(client, pledger_a, draft):
    client.force_login(pledger_a)
    assert client.get(reverse(LIST)).status_code == 302


def test_an_edit_in_the_admin_is_saved_by_the_service_with_a_version(client, administrator, draft, practice_fields):
    client.force_login(administrator)
    response = client.post(reverse("admin:knowledge_goodpractice_change", args=[draft.pk]), {
        **_fields(practice_fields), "title": "Telecentres, revised", "seen_version": draft.version})
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Telecentres, revised", 2)
    latest = GoodPractice.history.filter(id=draft.pk).latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (administrator, "edited")

"""Two people editing the same pledge: the later save does not silently undo the earlier one.

Every edit form carries the version it was opened at; a save over a later version is refused,
saying who changed what and when, with the person's input kept so they can save it again.
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from lxml import html

from coalition.common.versions import EditConflict
from coalition.pledges.content import pledge_data
from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create, pledge_update
from coalition.tests import builders


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


def _retitled(pledge, title):
    return {**pledge_data(pledge), "title": title}


def test_each_saved_change_raises_the_version_and_an_unchanged_save_does_not(draft, pledger_a):
    assert draft.version == 1

    pledge_update(actor=pledger_a, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)
    pledge_update(actor=pledger_a, pledge=draft, data=pledge_data(Pledge.objects.get(pk=draft.pk)), seen_version=2)

    assert Pledge.objects.get(pk=draft.pk).version == 2
    assert Pledge.history.filter(id=draft.pk).latest("history_date").version == 2


def test_a_save_over_a_later_change_is_refused_saying_who_changed_what(draft, pledger_a, reviewer):
    reviewer.full_name = "Rita Reviewer"
    reviewer.save()
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)
    mine = {**pledge_data(draft), "description": "My own better description."}

    with pytest.raises(EditConflict) as conflict:
        pledge_update(actor=pledger_a, pledge=draft, data=mine, seen_version=1)

    message = conflict.value.message_dict["version"][0]
    assert "Rita Reviewer" in message and "title" in message
    assert conflict.value.version == 2
    stored = Pledge.objects.get(pk=draft.pk)
    assert (stored.title, stored.description) == ("Connect 800 schools", draft.description)


def test_saving_again_at_the_version_shown_in_the_conflict_keeps_ones_input(draft, pledger_a, reviewer):
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)
    with pytest.raises(EditConflict) as conflict:
        pledge_update(actor=pledger_a, pledge=draft, data=_retitled(draft, "Mine"), seen_version=1)

    pledge_update(actor=pledger_a, pledge=draft, data=_retitled(draft, "Mine"), seen_version=conflict.value.version)

    assert Pledge.objects.get(pk=draft.pk).title == "Mine"


def test_a_step_form_opened_before_someone_elses_save_shows_the_conflict_and_keeps_the_input(
        client, draft, pledger_a, reviewer):
    client.force_login(pledger_a)
    url = reverse("pledges:edit", args=[draft.pk, "basics"])
    page = html.fromstring(client.get(url).content)
    opened = dict(page.xpath('//form[contains(@class, "stacked-form")]')[0].form_values())
    assert opened["version"] == "1"
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)

    response = client.post(url, {**opened, "title": "Connect 600 schools"})

    assert response.status_code == 200
    assert "after you opened this page" in str(response.context["form"].non_field_errors())
    again = dict(html.fromstring(response.content).xpath('//form[contains(@class, "stacked-form")]')[0].form_values())
    assert (again["title"], again["version"]) == ("Connect 600 schools", "2")
    assert Pledge.objects.get(pk=draft.pk).title == "Connect 800 schools"

    assert client.post(url, again).status_code == 302
    assert Pledge.objects.get(pk=draft.pk).title == "Connect 600 schools"


def test_the_targets_step_refuses_a_stale_save_too(client, draft, pledger_a, reviewer):
    client.force_login(pledger_a)
    url = reverse("pledges:edit", args=[draft.pk, "targets"])
    opened = dict(html.fromstring(client.get(url).content).xpath('//form[contains(@class, "stacked-form")]')[0].form_values())
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)

    response = client.post(url, {**opened, "targets-0-target_value": "900"})

    assert response.status_code == 200
    assert any("after you opened this page" in error for error in response.context["errors"])
    assert Pledge.objects.get(pk=draft.pk).targets.get().target_value == 500


def test_the_admin_change_page_refuses_a_stale_save(client, draft, administrator, reviewer):
    client.force_login(administrator)
    url = reverse("admin:pledges_pledge_change", args=[draft.pk])
    form = html.fromstring(client.get(url).content).xpath('//form[@id="pledge_form"]')[0]
    opened = {}
    for name, value in form.form_values():
        opened.setdefault(name, []).append(value)
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connect 800 schools"), seen_version=1)

    response = client.post(url, {**opened, "title": ["Admin title"]})

    assert response.status_code == 200
    assert "after you opened this page" in response.content.decode()
    assert Pledge.objects.get(pk=draft.pk).title == "Connect 800 schools"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_keep_one_and_refuse_the_other(pledger_a, reviewer, pledge_data):
    for attempt in range(5):
        pledge = pledge_create(actor=pledger_a, data={**pledge_data, "title": f"Round {attempt}"})
        start, results = threading.Barrier(2), {}

        def save(who, title):
            try:
                start.wait(timeout=10)
                pledge_update(actor=who, pledge=pledge, data=_retitled(pledge, title), seen_version=pledge.version)
                results[title] = "saved"
            except EditConflict:
                results[title] = "refused"
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(pledger_a, "Mine")),
                   threading.Thread(target=save, args=(reviewer, "Theirs"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(results.values()) == ["refused", "saved"], results
        winner = next(title for title, outcome in results.items() if outcome == "saved")
        stored = Pledge.objects.get(pk=pledge.pk)
        assert (stored.title, stored.version) == (winner, 2)


def test_builders_still_publish_without_versions(pledger_a, reviewer, pledge_data):
    assert builders.publish(pledger_a, reviewer, pledge_data).version == 1


def test_a_double_click_resending_what_was_just_saved_is_no_conflict(draft, pledger_a):
    mine = _retitled(draft, "Connect 800 schools")
    pledge_update(actor=pledger_a, pledge=draft, data=mine, seen_version=1)

    pledge_update(actor=pledger_a, pledge=draft, data=mine, seen_version=1)

    assert Pledge.objects.get(pk=draft.pk).version == 2


def test_the_conflict_is_told_in_french_with_the_fields_label_as_the_form_shows_it(draft, pledger_a, reviewer):
    pledge_update(actor=reviewer, pledge=draft, data=_retitled(draft, "Connecter 800 écoles"), seen_version=1)

    with translation.override("fr"), pytest.raises(EditConflict) as conflict:
        pledge_update(actor=pledger_a, pledge=draft, data=_retitled(draft, "Mine"), seen_version=1)

    message = conflict.value.message_dict["version"][0]
    assert "après que vous avez ouvert cette page (titre : désormais « Connecter 800 écoles »)" in message

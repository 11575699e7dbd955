"""Histories in French: field names, kinds of change, reasons, statuses and subjects in words, not codes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.content import revision_data_load
from coalition.pledges.services import (
    pledge_create,
    pledge_publish,
    pledge_submit,
    revision_publish,
    revision_start,
    revision_submit,
    revision_update,
)
from coalition.reference.models import FrameworkNode


@pytest.fixture
def revised(pledger_a, reviewer, pledge_data):
    pledge = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))
    pledge = pledge_publish(actor=reviewer, pledge=pledge)
    revision = revision_start(actor=pledger_a, pledge=pledge, reason="Nouveau titre")
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**revision_data_load(revision.data), "title": "Connect 800 rural schools"})
    revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))
    return pledge


def test_the_public_change_history_names_the_field_in_french(client, revised):
    response = client.get("/fr" + reverse("explore:pledge", args=[revised.pk]))

    assert response.status_code == 200
    assert "modifié: titre" in response.text
    assert "changed: title" not in response.text


def test_the_entity_history_reads_in_french(client, pledger_a, revised):
    client.force_login(pledger_a)

    response = client.get("/fr" + reverse("explore:entity_history", args=[revised.lead_entity_id]))

    assert response.status_code == 200
    assert "<strong>titre</strong>: Connect 500 rural schools → Connect 800 rural schools" in response.text
    for french in ("engagement — modification", "Approuver et publier", "Soumis → Publié", "révision 1",
                   "publication de la révision 1", "objectif"):
        assert french in response.text
    for code in ("pledge — changed", "submitted → published", ">publish<", "published_at"):
        assert code not in response.text


def test_lists_and_money_read_as_words(client, pledger_a, reviewer, pledge_data, initiative):
    pledge = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))
    pledge = pledge_publish(actor=reviewer, pledge=pledge)
    revision = revision_start(actor=pledger_a, pledge=pledge, reason="Plus d’écoles")
    data = revision_data_load(revision.data)
    parent = data["framework_nodes"][0].parent or data["framework_nodes"][0]
    added = FrameworkNode.objects.create(initiative=initiative, parent=parent, code="FA1.9", level="pillar",
                                         name_en="Schools online")
    more = [*data["framework_nodes"], added]
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**data, "framework_nodes": more, "value_amount": data["value_amount"] * 2})
    revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))
    client.force_login(pledger_a)

    response = client.get(reverse("explore:entity_history", args=[pledge.lead_entity_id]))

    assert response.status_code == 200
    assert "value usd" not in response.text and "value in usd" in response.text
    assert "['" not in response.text and "[]" not in response.text
    assert "FA1.9" in response.text  # the focus areas before and after, by name


def test_dates_in_a_history_name_their_month_in_full(client, reviewer, revised):
    client.force_login(reviewer)

    response = client.get("/fr" + reverse("pledges:review_detail", args=[revised.pk]))

    published = timezone.localtime(revised.published_at)
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    assert f"→ {published.day} {months[published.month - 1]} {published.year}, {published:%H:%M}" in response.text
    assert "déc." not in response.text.lower() and "a.m." not in response.text
    english = client.get(reverse("pledges:review_detail", args=[revised.pk])).text
    assert f"→ {published.day} {published:%B} {published.year}, {published:%H:%M}" in english
    assert "a.m." not in english and "p.m." not in english

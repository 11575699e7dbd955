"""Two focal points editing the same draft report: the later save does not undo the earlier one."""


import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from coalition.common.versions import EditConflict
from coalition.entities.models import FocalPoint
from coalition.reporting.models import ProgressReport
from coalition.reporting.services import report_create, report_data, report_update
from coalition.tests import builders

YEAR = timezone.localdate().year


@pytest.fixture
def draft(pledger_a, published):
    return report_create(actor=pledger_a, pledge=published, data={
        "period_end": timezone.localdate(), "narrative": "120 schools connected.",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}], "evidence": [],
    })


@pytest.fixture
def colleague(entity_a):
    """A second focal point of entity A."""
    user = builders.make_focal_point(entity_a, "colleague.a@example.org")
    assert FocalPoint.objects.filter(entity=entity_a).count() == 2
    return user


def _with(report, **changes):
    return {**report_data(report), **changes}


def test_a_save_over_a_colleagues_later_save_is_refused_and_changes_nothing(draft, pledger_a, colleague):
    report_update(actor=colleague, report=draft, data=_with(draft, narrative="Theirs."), seen_version=1)

    with pytest.raises(EditConflict) as conflict:
        report_update(actor=pledger_a, report=draft, data=_with(draft, challenges="Mine."), seen_version=1)

    assert "what was done" in conflict.value.message_dict["version"][0]
    stored = ProgressReport.objects.get(pk=draft.pk)
    assert (stored.narrative, stored.challenges, stored.version) == ("Theirs.", "", 2)


def test_the_report_page_keeps_the_input_and_saves_it_on_the_second_try(client, draft, pledger_a, colleague):
    client.force_login(pledger_a)
    url = reverse("reporting:report_edit", args=[draft.pk])
    form = html.fromstring(client.get(url).content).xpath('//form[contains(@class, "report-form")]')[0]
    opened = dict(form.form_values())
    report_update(actor=colleague, report=draft, data=_with(draft, narrative="Theirs."), seen_version=1)

    response = client.post(url, {**opened, "narrative": "Mine, longer."})

    assert response.status_code == 200
    assert "after you opened this page" in str(response.context["form"].non_field_errors())
    again = dict(html.fromstring(response.content).xpath('//form[contains(@class, "report-form")]')[0].form_values())
    assert (again["narrative"].strip(), again["version"]) == ("Mine, longer.", "2")
    assert ProgressReport.objects.get(pk=draft.pk).narrative == "Theirs."

    assert client.post(url, again).status_code == 302
    assert ProgressReport.objects.get(pk=draft.pk).narrative == "Mine, longer."


def test_resending_what_was_just_saved_is_no_conflict(draft, pledger_a):
    mine = _with(draft, narrative="Mine.")
    report_update(actor=pledger_a, report=draft, data=mine, seen_version=1)

    report_update(actor=pledger_a, report=draft, data=mine, seen_version=1)

    assert ProgressReport.objects.get(pk=draft.pk).narrative == "Mine."

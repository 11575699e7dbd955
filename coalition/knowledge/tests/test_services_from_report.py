import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint
from coalition.knowledge import services
from coalition.knowledge.models import GoodPractice
from coalition.pledges.services import pledge_withdraw
from coalition.reporting.services import report_create, report_return, report_submit


def test_a_pledge_s_focal_point_starts_a_draft_from_its_accepted_report(accepted_report, pledger_a, published, countries):
    practice = services.practice_from_report(report=accepted_report, actor=pledger_a)
    assert (practice.status, practice.shared_by, practice.entity) == ("draft", "pledger", published.lead_entity)
    assert practice.title == published.title
    assert practice.problem == published.description
    assert practice.approach == accepted_report.narrative
    assert practice.summary == "120 schools connected in three counties."
    assert practice.lessons == "Rainy season delayed works."
    assert "- Schools connected: 120 of 500 schools" in practice.results
    assert "40 % of the pledge delivered" in practice.results
    assert practice.source_report == accepted_report
    assert list(practice.pledges.all()) == [published]
    assert list(practice.countries.all()) == [countries["KEN"]]
    assert list(practice.framework_nodes.values_list("code", flat=True)) == ["FA1.1"]
    assert practice.created_by == pledger_a


def test_a_second_click_opens_the_same_draft(accepted_report, pledger_a):
    first = services.practice_from_report(report=accepted_report, actor=pledger_a)
    assert services.practice_from_report(report=accepted_report, actor=pledger_a) == first
    assert GoodPractice.objects.count() == 1


def test_once_withdrawn_the_report_may_give_a_new_practice(accepted_report, pledger_a):
    first = services.practice_from_report(report=accepted_report, actor=pledger_a)
    services.practice_move(actor=pledger_a, practice=first, action="withdraw")
    assert services.practice_from_report(report=accepted_report, actor=pledger_a) != first


def test_a_focal_point_of_a_country_the_pledge_benefits_shares_it_as_that_member_state(accepted_report, country_focal):
    practice = services.practice_from_report(report=accepted_report, actor=country_focal)
    assert (practice.shared_by, practice.country.iso3, practice.entity) == ("member_state", "KEN", None)
    assert list(practice.pledges.all()) == [accepted_report.pledge] and practice.source_report == accepted_report
    assert services.practice_from_report(report=accepted_report, actor=country_focal) == practice


def test_a_focal_point_of_a_country_the_pledge_does_not_benefit_is_refused(accepted_report, member_state_focal,
                                                                           countries, administrator):
    CountryFocalPoint.objects.create(user=member_state_focal, country=countries["NPL"], approved_by=administrator,
                                     approved_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.practice_from_report(report=accepted_report, actor=member_state_focal)
    assert not GoodPractice.objects.exists()


@pytest.mark.parametrize("person", ["pledger_b", "member_state_focal", "reviewer", "newcomer"])
def test_nobody_but_the_pledge_s_focal_points_shares_from_its_report(accepted_report, person, request):
    with pytest.raises(PermissionDenied):
        services.practice_from_report(report=accepted_report, actor=request.getfixturevalue(person))
    assert not GoodPractice.objects.exists()


def test_an_administrator_may_share_from_any_report(accepted_report, administrator):
    assert services.practice_from_report(report=accepted_report, actor=administrator).entity.name == "Ministry of ICT, Kenya"


def test_a_report_that_is_not_accepted_is_refused(published, pledger_a, reviewer):
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": timezone.localdate(), "implementation_status": "on_track", "share_delivered": "10",
        "narrative": "Started.", "targets": [{"target": published.targets.get(), "actual_value": "5"}]})
    for step in ("draft", "submitted", "returned"):
        if step == "submitted":
            report_submit(actor=pledger_a, report=report)
        if step == "returned":
            report_return(actor=reviewer, report=report, comment="Add evidence.")
        report.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.practice_from_report(report=report, actor=pledger_a)
        assert list(error.value.message_dict) == ["report"], step
    assert not GoodPractice.objects.exists()


def test_the_report_of_a_pledge_no_longer_published_is_refused(accepted_report, pledger_a):
    pledge_withdraw(actor=pledger_a, pledge=accepted_report.pledge)
    with pytest.raises(ValidationError) as error:
        services.practice_from_report(report=accepted_report, actor=pledger_a)
    assert list(error.value.message_dict) == ["report"]

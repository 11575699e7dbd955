"""The country profile's figures are the read model's for the same date, for one country or two
hundred at once, in a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.daily import tallies_for
from coalition.explore.figures import key_figures
from coalition.explore.tallies import Scope
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.pledges.models import Pledge
from coalition.reports.builders import report_build
from coalition.reports.builders.country_profile import country_profile_sections
from coalition.reports.document import Figures, Table

DATES = [datetime.date(2024, 6, 30), datetime.date(2024, 12, 31), datetime.date(2025, 7, 1)]


def figures_of(section) -> dict:
    return {figure.key: figure for sub in section.sections for block in sub.blocks if isinstance(block, Figures)
            for figure in block.figures}


def table_of(section, suffix: str) -> Table:
    return next(block for sub in section.sections for block in sub.blocks
                if isinstance(block, Table) and block.key.endswith(suffix))


@pytest.mark.parametrize("day", DATES)
def test_figures_equal_the_country_pages_for_the_same_date(registry, countries, day):  # noqa: F811
    as_of = as_of_date(day)
    chosen = [countries[code] for code in ("KEN", "NPL", "BTN", "FRA")]
    for country, section in zip(chosen, country_profile_sections(countries=chosen, as_of=as_of), strict=True):
        key = key_figures(tallies_for(as_of, Scope(country=country)))
        found = figures_of(section)
        assert found["pledges"].value == key.pledges
        assert found["value"].value == key.value_usd
        assert found["delivered"].value == key.disbursed_usd
        assert found["pledgers"].value == key.entities
        assert all(figure.as_of == day for figure in found.values())
        earlier = key_figures(tallies_for(as_of.year_earlier(), Scope(country=country)))
        assert found["pledges"].previous == earlier.pledges
        assert found["pledges"].previous_as_of == as_of.year_earlier().date


def test_a_profile_on_its_own_compares_every_figure_with_a_year_earlier(registry, countries):  # noqa: F811
    as_of = as_of_date(datetime.date(2025, 11, 30))
    section = country_profile_sections(countries=[countries["NPL"]], as_of=as_of, full=True)[0]
    earlier = key_figures(tallies_for(as_of.year_earlier(), Scope(country=countries["NPL"])))
    found = figures_of(section)
    assert found["delivered"].previous == earlier.disbursed_usd == 90000
    assert found["pledgers"].previous == earlier.entities == 2
    annex = figures_of(country_profile_sections(countries=[countries["NPL"]], as_of=as_of)[0])
    assert annex["delivered"].previous is None and annex["pledges"].previous == earlier.pledges


def test_nepal_names_its_pledger_and_partner_and_the_delivery(registry, countries):  # noqa: F811
    section = country_profile_sections(countries=[countries["NPL"]], as_of=as_of_date(datetime.date(2025, 7, 1)))[0]
    pledgers = table_of(section, "-pledgers")
    assert {row[0] for row in pledgers.rows} == {"Connect Telecom", "Ministry of ICT, Kenya"}
    assert figures_of(section)["delivered"].value == 90000
    assert {row[0] for row in table_of(section, "-focus-areas").rows} == {"P2C FA1 Access"}


def test_groups_are_those_of_the_date(registry, countries):  # noqa: F811
    def groups_on(day):
        section = country_profile_sections(countries=[countries["KEN"]], as_of=as_of_date(day), full=True)[0]
        return {row[1] for row in table_of(section, "-groups").rows}

    assert groups_on(datetime.date(2024, 6, 30)) == {"Africa", "Least developed countries"}
    assert groups_on(datetime.date(2025, 7, 1)) == {"Africa"}  # graduated on 1 January 2025
    annex = country_profile_sections(countries=[countries["KEN"]], as_of=as_of_date(datetime.date(2024, 6, 30)))[0]
    sentence = next(sub for sub in annex.sections if sub.key.endswith("-groups")).blocks[0].text
    assert "Africa" in sentence and "Least developed countries" in sentence  # the annex says it in a sentence


def test_every_figure_cites_a_source_the_section_brings(registry, countries):  # noqa: F811
    section = country_profile_sections(countries=[countries["KEN"]], as_of=as_of_now())[0]
    keys = {source.key for source in section.sources}
    for figure in figures_of(section).values():
        assert figure.sources and set(figure.sources) <= keys


def test_many_countries_cost_the_same_queries_as_one(registry, countries):  # noqa: F811
    as_of = as_of_date(datetime.date(2025, 7, 1))
    country_profile_sections(countries=[countries["NPL"]], as_of=as_of)  # the day's tallies are stored
    with CaptureQueriesContext(connection) as one:
        country_profile_sections(countries=[countries["NPL"]], as_of=as_of)
    with CaptureQueriesContext(connection) as five:
        country_profile_sections(countries=list(countries.values()), as_of=as_of)
    assert len(five.captured_queries) == len(one.captured_queries)


def test_connectivity_shows_each_value_with_its_year_target_and_edition(registry, countries, observe):  # noqa: F811
    observe("internet-use", countries["KEN"], {2015: 20.0, 2023: 40.04}, edition="2025-06")
    section = country_profile_sections(countries=[countries["KEN"]], as_of=as_of_now())[0]
    table = table_of(section, "-connectivity")
    row = next(row for row in table.rows if row[2] == 2023)
    assert str(row[1]) == "40.0" and row[3] is not None and "2025-06" in row[5]
    assert any(key.startswith("indicator-itu-datahub-2025-06") for key in table.sources)


def test_the_profile_report_names_the_country_and_flags_demo_data(registry, countries):  # noqa: F811
    report = report_build(kind="country-profile", as_of=as_of_now(), language="fr", params={"country": "npl"})
    assert report.language == "fr" and "Népal" in report.title and not report.is_demo
    Pledge.objects.update(is_demo=True)
    Pledge.history.model.objects.update(is_demo=True)
    assert report_build(kind="country-profile", as_of=as_of_now(), language="en", params={"country": "NPL"}).is_demo


def test_an_unknown_country_is_refused_on_the_country_field(countries):
    with pytest.raises(ValidationError) as refused:
        report_build(kind="country-profile", as_of=as_of_now(), language="en", params={"country": "XYZ"})
    assert "country" in refused.value.message_dict

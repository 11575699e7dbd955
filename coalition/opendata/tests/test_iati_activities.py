"""The IATI activity file: valid against the official 2.03 schema, only codelist values, and
what each pledge with money says (organisations, recipients, sectors, tags, budget, disbursements).

The schema and codelists are the public IATI files beside the project (COALITION_DATA_DIR/iati)
when they are there, else the same standard's files that `make setup` takes from IATI's own
Python package (see the Makefile's `iati-schemas`).
"""

import datetime
import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from coalition.common.asof import as_of_date, as_of_now
from coalition.entities.models import Entity
from coalition.opendata.iati import IATI_ACTIVITIES, iati_activities_write, organisation_types, sector_table
from coalition.pledges.models import Pledge
from coalition.reference.models import BeneficiaryGroup, CountryGroup, SdgGoal
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = "Fibre & <satellite> ]]> links \x01\x0b for “schools”"


# pyIATI 0.4.1 froze its copy of the 2.03 codelists in 2018. The export uses codes IATI added to
# them since: the UN SDG goal and target tag vocabularies (2, 3; 2019) and two DAC purpose codes
# (15196 Government and civil society statistics and data, 25030 Business development services).
# With the data folder there (make test on a developer's or CI's machine), the current codelists
# are read instead and these additions are not needed.
ADDED_SINCE_PYIATI = {"TagVocabulary": {"2", "3"}, "Sector": {"15196", "25030"}}
INSTALLED = Path(sys.prefix) / "share" / "iati-2-03"


def _iati_dir() -> Path:
    beside = Path(settings.COALITION_DATA_DIR or "/nonexistent") / "iati"
    if (beside / "iati-activities-schema.xsd").is_file():
        return beside
    assert (INSTALLED / "iati-activities-schema.xsd").is_file(), (
        "No IATI 2.03 schema: set COALITION_DATA_DIR to the public data files, or run `make setup`")
    return INSTALLED


def _codes(name: str) -> set[str]:
    folder = _iati_dir()
    tree = etree.parse(str(folder / "codelists" / f"{name}.xml"))
    codes = {item.findtext("code") for item in tree.iter("codelist-item") if item.get("status") != "withdrawn"}
    return codes | ADDED_SINCE_PYIATI.get(name, set()) if folder == INSTALLED else codes


def _written(as_of=None, language="en") -> bytes:
    stream = io.BytesIO()
    iati_activities_write(stream=stream, as_of=as_of or as_of_now(), language=language)
    return stream.getvalue()


def _activity(document: etree._Element, pledge: Pledge) -> etree._Element:
    [activity] = [a for a in document.iter("iati-activity") if a.findtext("iati-identifier").endswith(f"-pledge-{pledge.pk}")]
    return activity


def _report(pledge, pledger, reviewer, *, year, amount, status="on_track"):
    report = report_create(actor=pledger, pledge=pledge, data={
        "period_end": datetime.date(year, 12, 31), "implementation_status": status, "share_delivered": "25",
        "disbursed_amount": amount, "disbursed_currency": "EUR", "disbursed_year": 2022, "narrative": "Under way.",
        "targets": [{"target": pledge.targets.get(), "actual_value": "10"}],
    })
    report_submit(actor=pledger, report=report)
    return report_accept(actor=reviewer, report=report, verification_level="documented")


@pytest.fixture
def registry(country_groups, countries, pledge_data, pledger_a, reviewer, entity_a, entity_b, initiative):
    goal = SdgGoal.objects.create(number=9, title_en="Industry, innovation and infrastructure", short_en="Infrastructure")
    target = goal.targets.create(code="9.c", title_en="Access to ICT")
    women = BeneficiaryGroup.objects.create(code="women-and-girls", name_en="Women and girls", name_fr="Femmes et filles")
    asia = CountryGroup.objects.create(code="M49-142", kind=CountryGroup.Kind.UN_REGION, name_en="Asia")
    skills = initiative.nodes.create(code="FA2.1", level="pillar", name_en="Digital skills")
    kenya = publish(pledger_a, reviewer, {
        **pledge_data, "title": HOSTILE, "description": "Costs & benefits ]]> <b>bold</b>",
        "sdg_targets": [target], "beneficiary_groups": [women], "framework_nodes": [skills],
        "partners": [{"entity": entity_b, "role": "operator"}],
    })
    several = publish(pledger_a, reviewer, {
        **pledge_data, "title": "Three countries", "pledge_type": "financial", "scope": "multi_country",
        "beneficiary_countries": [countries["KEN"], countries["NPL"], countries["BTN"]],
        "value_amount": Decimal("300000"), "value_currency": "USD", "start_date": None, "end_date": None,
    })
    world = publish(pledger_a, reviewer, {**pledge_data, "title": "Everywhere", "scope": "global", "beneficiary_countries": []})
    region = publish(pledger_a, reviewer, {
        **pledge_data, "title": "Asia and the Pacific", "scope": "regional", "beneficiary_countries": [],
        "beneficiary_regions": [asia, country_groups["ITU-ASP"]],
    })
    moneyless = publish(pledger_a, reviewer, {**pledge_data, "title": "Advocacy only", "value_amount": None,
                                              "value_currency": None, "value_year": None})
    _report(kenya, pledger_a, reviewer, year=2023, amount=Decimal("100000"))
    _report(kenya, pledger_a, reviewer, year=2024, amount=Decimal("250000"), status="completed")
    return {"kenya": kenya, "several": several, "world": world, "region": region, "moneyless": moneyless}


@pytest.fixture
def document(registry) -> etree._Element:
    return etree.fromstring(_written())


class TestTheFileIsValidIati:
    def test_it_validates_against_the_official_schema(self, document):
        schema = etree.XMLSchema(etree.parse(str(_iati_dir() / "iati-activities-schema.xsd")))
        schema.assertValid(document)
        assert document.get("version") == "2.03"

    def test_every_coded_value_is_in_its_codelist(self, document):
        checks = {
            "activity-status": ("code", "ActivityStatus"), "participating-org": ("role", "OrganisationRole"),
            "transaction-type": ("code", "TransactionType"), "budget": ("type", "BudgetType"),
        }
        for tag, (attribute, codelist) in checks.items():
            values = {element.get(attribute) for element in document.iter(tag)}
            assert values and values <= _codes(codelist), (tag, values)
        org_types = {e.get("type") for e in document.iter("participating-org", "reporting-org")}
        assert org_types <= _codes("OrganisationType")
        assert {e.get("code") for e in document.iter("sector")} <= _codes("Sector")
        assert {e.get("vocabulary") for e in document.iter("sector")} <= _codes("SectorVocabulary")
        assert {e.get("vocabulary") for e in document.iter("tag")} <= _codes("TagVocabulary")
        currencies = {e.get("currency") for e in document.iter("value") if e.get("currency")}
        currencies |= {e.get("default-currency") for e in document.iter("iati-activity")}
        assert currencies <= _codes("Currency")

    def test_the_mapping_tables_hold_only_codelist_values(self):
        assert {code for codes in sector_table().values() for code in codes} <= _codes("Sector")
        assert set(organisation_types().values()) <= _codes("OrganisationType")
        assert set(organisation_types()) == set(Entity.Type.values)

    def test_the_platform_reports_as_a_secondary_reporter_under_its_configured_reference(self, registry, settings):
        settings.COALITION_IATI_ORG_REF = "XM-EXAMPLE-1"
        document = etree.fromstring(_written())
        activity = _activity(document, registry["kenya"])
        reporter = activity.find("reporting-org")
        assert reporter.get("ref") == "XM-EXAMPLE-1" and reporter.get("secondary-reporter") == "1"
        assert activity.findtext("iati-identifier") == f"XM-EXAMPLE-1-pledge-{registry['kenya'].pk}"


class TestWhichPledges:
    def test_pledges_without_money_are_left_out(self, document, registry):
        identifiers = {a.findtext("iati-identifier") for a in document.iter("iati-activity")}
        assert len(identifiers) == 4
        assert not any(i.endswith(f"-pledge-{registry['moneyless'].pk}") for i in identifiers)

    def test_the_same_moment_gives_the_same_bytes(self, registry):
        moment = as_of_now()
        first = _written(moment)
        assert first.count(b"<iati-activity ") == 4 and _written(moment) == first

    def test_an_earlier_day_gives_the_registry_as_it_stood_then(self, registry):
        yesterday = as_of_date(timezone.localdate() - datetime.timedelta(days=1))
        document = etree.fromstring(_written(yesterday))
        assert document.find("iati-activity") is None
        assert document.get("generated-datetime") == f"{yesterday.date.isoformat()}T23:59:59+00:00"


class TestWhatAnActivitySays:
    def test_hostile_text_is_escaped_and_control_characters_dropped(self, document, registry):
        activity = _activity(document, registry["kenya"])
        assert activity.findtext("title/narrative") == "Fibre & <satellite> ]]> links for “schools”"  # one line, as the services keep titles
        assert activity.findtext("description/narrative") == "Costs & benefits ]]> <b>bold</b>"

    def test_control_characters_stored_before_cleaning_do_not_break_the_file(self, registry):
        Pledge.history.filter(id=registry["kenya"].pk).update(title="Bad \x1f\x0b title")
        activity = _activity(etree.fromstring(_written()), registry["kenya"])
        assert activity.findtext("title/narrative") == "Bad  title"

    def test_lead_and_partners_take_part_with_their_roles_and_types(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        assert [(o.get("role"), o.get("type"), o.findtext("narrative")) for o in kenya.iter("participating-org")] == [
            ("4", "10", "Ministry of ICT, Kenya"), ("4", "70", "Connect Telecom")]
        financial = _activity(document, registry["several"])
        assert [o.get("role") for o in financial.iter("participating-org")] == ["1"]
        assert kenya.find("participating-org").get("ref") is None  # entities have no IATI identifier to give

    def test_recipient_shares_sum_to_100(self, document, registry):
        several = _activity(document, registry["several"])
        shares = {c.get("code"): c.get("percentage") for c in several.iter("recipient-country")}
        assert shares == {"BT": "33.33", "KE": "33.33", "NP": "33.34"}

    def test_a_global_pledge_goes_to_the_world_region(self, document, registry):
        world = _activity(document, registry["world"])
        assert world.find("recipient-country") is None
        assert [(r.get("code"), r.get("vocabulary"), r.get("percentage")) for r in world.iter("recipient-region")] == [
            ("001", "2", "100.00")]
        assert world.find("activity-scope").get("code") == "1"

    def test_regions_use_m49_or_the_platform_own_vocabulary(self, document, registry):
        region = _activity(document, registry["region"])
        rows = [(r.get("code"), r.get("vocabulary"), r.get("percentage")) for r in region.iter("recipient-region")]
        assert rows == [("ITU-ASP", "99", "50.00"), ("142", "2", "50.00")]
        own = region.findall("recipient-region")[0]
        assert own.get("vocabulary-uri").endswith("/groups/ITU-ASP/")
        assert [(n.get(XML_LANG), n.text) for n in own] == [("en", "Asia & Pacific"), ("fr", "Asie-Pacifique")]

    def test_sectors_are_ict_and_the_framework_nodes_codes(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        assert [(s.get("code"), s.get("percentage")) for s in kenya.iter("sector")] == [("11330", "50.00"), ("22040", "50.00")]
        several = _activity(document, registry["several"])  # FA1.1 broadband
        assert [s.get("code") for s in several.iter("sector")] == ["22020", "22040"]

    def test_sdg_goals_and_targets_are_tags(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        tags = [(t.get("vocabulary"), t.get("code")) for t in kenya.iter("tag")]
        assert tags == [("2", "9"), ("3", "9.c"), ("99", "women-and-girls")]
        women = kenya.findall("tag")[2]
        assert [(n.get(XML_LANG), n.text) for n in women] == [("en", "Women and girls"), ("fr", "Femmes et filles")]

    def test_the_budget_is_the_estimated_value_in_its_currency(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        assert kenya.get("default-currency") == "EUR"
        budget = kenya.find("budget")
        assert (budget.findtext("period-start/..") is not None and budget.find("period-start").get("iso-date") == "2023-01-01"
                and budget.find("period-end").get("iso-date") == "2026-12-31")
        value = budget.find("value")
        assert (value.text, value.get("currency"), value.get("value-date")) == ("1000000.00", "EUR", "2022-01-01")

    def test_disbursements_are_the_increases_between_accepted_reports(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        rows = [(t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"), t.findtext("value"))
                for t in kenya.iter("transaction")]
        assert rows == [("3", "2023-12-31", "100000.00"), ("3", "2024-12-31", "150000.00")]

    def test_status_and_dates_follow_the_reports_and_the_pledge(self, document, registry):
        kenya = _activity(document, registry["kenya"])
        assert kenya.find("activity-status").get("code") == "4"  # the latest report says completed
        assert [(d.get("type"), d.get("iso-date")) for d in kenya.iter("activity-date")] == [
            ("1", "2023-01-01"), ("3", "2026-12-31"), ("4", "2024-12-31")]
        several = _activity(document, registry["several"])
        [start] = several.iter("activity-date")
        assert start.get("type") == "1" and start.findtext("narrative")  # no start date: publication day, said so
        assert several.find("activity-status").get("code") == "2"

    def test_the_file_names_its_default_language(self, registry):
        document = etree.fromstring(_written(language="fr"))
        assert {a.get(XML_LANG) for a in document.iter("iati-activity")} == {"fr"}


def test_the_writer_describes_itself_for_the_downloads_page():
    assert IATI_ACTIVITIES.media_type == "application/xml" and IATI_ACTIVITIES.file_name.endswith(".xml")
    assert IATI_ACTIVITIES.binary and str(IATI_ACTIVITIES.title) and str(IATI_ACTIVITIES.description)
    assert IATI_ACTIVITIES.write is iati_activities_write

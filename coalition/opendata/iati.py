"""The published pledges with money as IATI 2.03 activities, the platform as secondary reporter.

One `<iati-activity>` per pledge that was published at the moment asked for and states an
estimated value (amount and currency): its version then, with its links, partners, entities and
accepted progress reports as they stood then (`explore.registry`). The same moment gives the
same bytes: `generated-datetime` is the moment, and each activity's `last-updated-datetime` the
date of the pledge's version.

What the platform knows becomes IATI this way:

- reporting-org: the coalition's secretariat (`COALITION_IATI_ORG_REF`, `COALITION_IATI_ORG_NAME`)
  with `secondary-reporter="1"`, since pledgers, not the platform, fund and implement; the
  activity identifier is that reference, "-pledge-" and the pledge's id;
- participating-org: the lead entity as funding (financial pledges) or implementing (the other
  types), partners as implementing; types from `data/iati_organisation_types.csv`. Entities carry
  no organisation identifier on the platform, so none is invented (`ref` is left out);
- activity-status from the latest accepted report's implementation status, else from the dates;
- recipient-country (ISO alpha-2) and recipient-region (UN M49 regions under vocabulary 2, the
  platform's other groups under vocabulary 99 with their page as vocabulary-uri), an equal share
  each, summing to 100; no country and no region (a global pledge): M49 001 "World";
- sector: 22040 ICT and the DAC codes of the pledge's framework nodes (`data/iati_sectors.csv`),
  equal shares summing to 100; tags: SDG goals (vocabulary 2) and targets (3), beneficiary groups
  and WSIS action lines (vocabulary 99);
- one original, indicative budget of the estimated value in its currency, valued at the start of
  the value year; one disbursement (transaction type 3) per accepted report whose cumulative money
  disbursed grew: reports are cumulative to their period end, a transaction is the increase.

Pledge texts are as their pledgers wrote them: the platform does not record their language, so
they carry the file's default language (`language`).
"""

import csv
import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from coalition.common.asof import AsOf
from coalition.common.text import text_clean
from coalition.explore.registry import entity_versions, partner_versions, published_pledge_versions, report_versions
from coalition.indicators.writers import Writer
from coalition.pledges.models import Pledge
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    Currency,
    FrameworkNode,
    SdgTarget,
    WsisActionLine,
)
from coalition.reporting.models import ImplementationStatus, ReportStatus

CHUNK = 500
DATA = Path(__file__).parent / "data"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ICT = "22040"

# IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled.
STATUS_OF_REPORT = {
    ImplementationStatus.NOT_STARTED: "1",
    ImplementationStatus.ON_TRACK: "2",
    ImplementationStatus.DELAYED: "2",
    ImplementationStatus.COMPLETED: "4",
    ImplementationStatus.DISCONTINUED: "5",
}
# IATI ActivityScope: 1 global, 2 regional, 3 multi-national, 4 national.
SCOPE = {Pledge.Scope.GLOBAL: "1", Pledge.Scope.REGIONAL: "2", Pledge.Scope.MULTI_COUNTRY: "3", Pledge.Scope.NATIONAL: "4"}
# IATI OrganisationRole: 1 funding, 4 implementing.
FUNDING, IMPLEMENTING = "1", "4"
# IATI RegionVocabulary: 2 UN M49, 99 reporting organisation. M49 001 is the world.
M49, OWN = "2", "99"
WORLD = "001"
M49_KINDS = {CountryGroup.Kind.UN_REGION, CountryGroup.Kind.UN_SUBREGION}


def iati_activities_write(*, stream: BinaryIO, as_of: AsOf, language: str = "en") -> None:
    """Write the IATI 2.03 activity file of the pledges with money published at `as_of` to
    `stream` (binary), one activity at a time, pledges read CHUNK at a time: memory stays flat
    whatever the registry's size. Narratives of the platform's own words are in every site
    language; `language` is the file's default (`xml:lang`)."""
    lookups = _Lookups.load()
    with translation.override(language), etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {"version": "2.03", "generated-datetime": _datetime(as_of.moment)}
        with xf.element("iati-activities", attributes):
            xf.write("\n")
            for activity in _activities(as_of, lookups):
                xf.write(_activity_element(activity, lookups=lookups, language=language, as_of=as_of), pretty_print=True)


IATI_ACTIVITIES = Writer(
    slug="iati-activities",
    title=gettext_lazy("Pledges with money as IATI activities (XML)"),
    description=gettext_lazy(
        "Every published pledge that states an estimated value, as an activity of the International Aid "
        "Transparency Initiative standard 2.03: organisations, recipient countries and regions, DAC sectors, "
        "SDG tags, the pledged budget and the disbursements reported. The platform publishes them as a "
        "secondary reporter."),
    media_type="application/xml",
    file_name="iati-activities.xml",
    write=iati_activities_write,
    binary=True,
)


# --- what one activity is made of --------------------------------------------------------------


@dataclass
class _Activity:
    version: object  # the HistoricalPledge row
    countries: list[int] = field(default_factory=list)
    regions: list[int] = field(default_factory=list)
    nodes: list[int] = field(default_factory=list)
    sdg_targets: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    wsis: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    entities: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Lookups:
    """The small code tables every activity reads, loaded once per file."""

    countries: dict
    groups: dict
    nodes: dict
    sdg_targets: dict
    beneficiary_groups: dict
    wsis: dict
    currencies: dict

    @classmethod
    def load(cls) -> "_Lookups":
        return cls(
            countries=dict(Country.objects.values_list("id", "iso2")),
            groups={group.pk: group for group in CountryGroup.objects.all()},
            nodes={pk: (slug, code) for pk, slug, code in FrameworkNode.objects.values_list("id", "initiative__slug", "code")},
            sdg_targets={pk: (code, goal) for pk, code, goal in SdgTarget.objects.values_list("id", "code", "goal__number")},
            beneficiary_groups={group.pk: group for group in BeneficiaryGroup.objects.all()},
            wsis={line.pk: line for line in WsisActionLine.objects.all()},
            currencies=dict(Currency.objects.values_list("id", "code")),
        )


LINKS = {
    "beneficiary_countries": ("country_id", "countries"),
    "beneficiary_regions": ("countrygroup_id", "regions"),
    "framework_nodes": ("frameworknode_id", "nodes"),
    "sdg_targets": ("sdgtarget_id", "sdg_targets"),
    "beneficiary_groups": ("beneficiarygroup_id", "groups"),
    "wsis_lines": ("wsisactionline_id", "wsis"),
}


def _activities(as_of: AsOf, lookups: _Lookups) -> Iterator[_Activity]:
    """The pledges with money published at `as_of`, in id order, CHUNK versions at a time, each
    chunk's links, partners, entities and accepted reports read in one query per kind."""
    versions = (published_pledge_versions(as_of)
                .filter(value_amount__isnull=False, value_currency__isnull=False).order_by("id"))
    last = 0
    while chunk := list(versions.filter(id__gt=last)[:CHUNK]):
        last = chunk[-1].id
        by_history = {version.history_id: _Activity(version) for version in chunk}
        by_pledge = {activity.version.id: activity for activity in by_history.values()}
        for name, (column, attribute) in LINKS.items():
            link = Pledge.history.model._meta.get_field(f"historicalpledge_{name}").related_model
            rows = link.objects.filter(history_id__in=list(by_history)).order_by(column).values_list("history_id", column)
            for history_id, target in rows:
                getattr(by_history[history_id], attribute).append(target)
        partners = (partner_versions(as_of).filter(pledge_id__in=list(by_pledge))
                    .order_by("pledge_id", "entity_id").values_list("pledge_id", "entity_id"))
        for pledge_id, entity_id in partners:
            by_pledge[pledge_id].partners.append(entity_id)
        reports = (report_versions(as_of).filter(pledge_id__in=list(by_pledge), status=ReportStatus.ACCEPTED)
                   .order_by("pledge_id", "period_end", "submitted_at", "id")
                   .values("pledge_id", "period_end", "implementation_status", "disbursed_amount",
                           "disbursed_currency_id", "disbursed_year", "disbursed_usd", "verification_level"))
        for report in reports:
            by_pledge[report["pledge_id"]].reports.append(report)
        wanted = {activity.version.lead_entity_id for activity in by_pledge.values()}
        wanted.update(entity for activity in by_pledge.values() for entity in activity.partners)
        entities = {row["id"]: row for row in entity_versions(as_of).filter(id__in=wanted)
                    .values("id", "name", "acronym", "entity_type")}
        for activity in by_pledge.values():
            activity.entities = entities
            yield activity


# --- one activity as XML -------------------------------------------------------------------------


def _activity_element(activity: _Activity, *, lookups: _Lookups, language: str, as_of: AsOf) -> etree._Element:
    pledge = activity.version
    currency = lookups.currencies[pledge.value_currency_id]
    root = etree.Element("iati-activity", {
        "last-updated-datetime": _datetime(pledge.history_date), XML_LANG: language, "default-currency": currency,
        "hierarchy": "1", "humanitarian": "0",
    })
    _sub(root, "iati-identifier", text=f"{settings.COALITION_IATI_ORG_REF}-pledge-{pledge.id}")
    # The secretariat of an intergovernmental coalition: OrganisationType 40, multilateral.
    reporter = _sub(root, "reporting-org", {"ref": settings.COALITION_IATI_ORG_REF, "type": "40", "secondary-reporter": "1"})
    _narratives(reporter, [(None, settings.COALITION_IATI_ORG_NAME)])
    _narratives(_sub(root, "title"), [(None, pledge.title)])
    _narratives(_sub(root, "description", {"type": "1"}), [(None, pledge.description or pledge.title)])
    lead_role = FUNDING if pledge.pledge_type == Pledge.Type.FINANCIAL else IMPLEMENTING
    _participant(root, activity.entities.get(pledge.lead_entity_id), lead_role)
    for entity_id in activity.partners:
        if entity_id != pledge.lead_entity_id:
            _participant(root, activity.entities.get(entity_id), IMPLEMENTING)
    _sub(root, "activity-status", {"code": _status(activity, today=as_of.date)})
    for code, day, note in _dates(activity):
        element = _sub(root, "activity-date", {"iso-date": day.isoformat(), "type": code})
        if note:
            _narratives(element, [(None, note)])
    if pledge.scope in SCOPE:
        _sub(root, "activity-scope", {"code": SCOPE[pledge.scope]})
    _recipients(root, activity, lookups)
    sectors = _sectors(activity, lookups)
    for code, share in zip(sectors, _shares(len(sectors)), strict=True):
        _sub(root, "sector", {"vocabulary": "1", "code": code, "percentage": share})
    _tags(root, activity, lookups)
    _budget(root, pledge, currency)
    _transactions(root, activity, lookups, currency)
    link = _sub(root, "document-link", {"format": "text/html", "url": _site_url(reverse("explore:pledge", args=[pledge.id]))})
    _narratives(_sub(link, "title"), [(None, pledge.title)])
    _sub(link, "category", {"code": "A12"})  # DocumentCategory A12: activity web page
    return root


def _participant(root, entity: dict | None, role: str) -> None:
    if entity is None:
        return
    attributes = {"role": role}
    if kind := organisation_types().get(entity["entity_type"]):
        attributes["type"] = kind
    name = entity["name"] + (f" ({entity['acronym']})" if entity["acronym"] else "")
    _narratives(_sub(root, "participating-org", attributes), [(None, name)])


def _status(activity: _Activity, *, today: datetime.date) -> str:
    """From the latest accepted report's implementation status; without one, from the dates:
    not yet started is pipeline, past its end is finalisation (awaiting the final report)."""
    for report in reversed(activity.reports):
        if report["implementation_status"] in STATUS_OF_REPORT:
            return STATUS_OF_REPORT[report["implementation_status"]]
    pledge = activity.version
    if pledge.start_date and pledge.start_date > today:
        return "1"
    if pledge.end_date and pledge.end_date < today:
        return "3"
    return "2"


def _dates(activity: _Activity) -> list[tuple[str, datetime.date, str]]:
    """IATI ActivityDateType 1 planned start, 3 planned end, 4 actual end (a report saying the
    pledge was completed, at its period end). Without a start date, the day of publication
    stands in, said in its narrative: the standard asks for a start date."""
    pledge = activity.version
    dates = []
    if pledge.start_date:
        dates.append(("1", pledge.start_date, ""))
    else:
        published = (pledge.published_at or pledge.history_date).date()
        dates.append(("1", published, _("The pledge gives no start date: the day it was published.")))
    if pledge.end_date:
        dates.append(("3", pledge.end_date, ""))
    completed = [r for r in activity.reports if r["implementation_status"] == ImplementationStatus.COMPLETED]
    if completed:
        dates.append(("4", completed[-1]["period_end"], ""))
    return dates


def _recipients(root, activity: _Activity, lookups: _Lookups) -> None:
    countries = sorted(lookups.countries[pk] for pk in activity.countries)
    regions = sorted((lookups.groups[pk] for pk in activity.regions), key=lambda group: group.code)
    shares = iter(_shares(len(countries) + len(regions) or 1))
    for iso2 in countries:
        _sub(root, "recipient-country", {"code": iso2, "percentage": next(shares)})
    if not countries and not regions:
        _sub(root, "recipient-region", {"code": WORLD, "vocabulary": M49, "percentage": next(shares)})
    for group in regions:
        if group.kind in M49_KINDS and group.code.startswith("M49-"):
            _sub(root, "recipient-region", {"code": group.code.removeprefix("M49-"), "vocabulary": M49,
                                            "percentage": next(shares)})
        else:
            region = _sub(root, "recipient-region", {
                "code": group.code, "vocabulary": OWN, "percentage": next(shares),
                "vocabulary-uri": _site_url(reverse("explore:group", args=[group.code])),
            })
            _narratives(region, [("en", group.name_en), ("fr", group.name_fr)])


def _sectors(activity: _Activity, lookups: _Lookups) -> list[str]:
    table = sector_table()
    codes = {ICT}
    for pk in activity.nodes:
        codes.update(table.get(lookups.nodes[pk], ()))
    return sorted(codes)


def _tags(root, activity: _Activity, lookups: _Lookups) -> None:
    targets = sorted((lookups.sdg_targets[pk] for pk in activity.sdg_targets), key=lambda item: (item[1], item[0]))
    for goal in sorted({goal for _code, goal in targets}):
        _sub(root, "tag", {"vocabulary": "2", "code": str(goal)})
    for code, _goal in targets:
        _sub(root, "tag", {"vocabulary": "3", "code": code})
    groups_uri = _site_url(reverse("explore:explorer"))
    for group in sorted((lookups.beneficiary_groups[pk] for pk in activity.groups), key=lambda g: g.order):
        tag = _sub(root, "tag", {"vocabulary": OWN, "vocabulary-uri": groups_uri + "#beneficiary-groups", "code": group.code})
        _narratives(tag, [("en", group.name_en), ("fr", group.name_fr)])
    for line in sorted((lookups.wsis[pk] for pk in activity.wsis), key=lambda line: line.order):
        tag = _sub(root, "tag", {"vocabulary": OWN, "vocabulary-uri": groups_uri + "#wsis-action-lines", "code": line.code})
        _narratives(tag, [("en", line.title_en), ("fr", line.title_fr)])


def _budget(root, pledge, currency: str) -> None:
    """One original (type 1), indicative (status 1) budget over the pledge's period; without
    dates, over its value year."""
    year = pledge.value_year or (pledge.start_date or pledge.history_date.date()).year
    start = pledge.start_date or datetime.date(year, 1, 1)
    end = pledge.end_date if pledge.end_date and pledge.end_date >= start else datetime.date(start.year, 12, 31)
    budget = _sub(root, "budget", {"type": "1", "status": "1"})
    _sub(budget, "period-start", {"iso-date": start.isoformat()})
    _sub(budget, "period-end", {"iso-date": end.isoformat()})
    _sub(budget, "value", {"currency": currency, "value-date": datetime.date(year, 1, 1).isoformat()},
         text=_decimal(pledge.value_amount))


def _transactions(root, activity: _Activity, lookups: _Lookups, default_currency: str) -> None:
    """Disbursements: the increase of the cumulative money disbursed from one accepted report to
    the next, in the report's currency, or in US dollars when the currency changed (and both
    are converted); a decrease is a correction, written as a negative disbursement."""
    before: dict | None = None
    for report in activity.reports:
        if report["disbursed_amount"] is None or report["disbursed_currency_id"] is None:
            continue
        currency = lookups.currencies[report["disbursed_currency_id"]]
        amount = report["disbursed_amount"]
        if before is not None:
            if before["disbursed_currency_id"] == report["disbursed_currency_id"]:
                amount -= before["disbursed_amount"]
            elif report["disbursed_usd"] is not None and before["disbursed_usd"] is not None:
                currency, amount = "USD", report["disbursed_usd"] - before["disbursed_usd"]
            else:
                before = report
                continue
        before = report
        if not amount:
            continue
        year = report["disbursed_year"] or report["period_end"].year
        transaction = _sub(root, "transaction")
        _sub(transaction, "transaction-type", {"code": "3"})
        _sub(transaction, "transaction-date", {"iso-date": report["period_end"].isoformat()})
        attributes = {"value-date": datetime.date(year, 1, 1).isoformat()}
        if currency != default_currency:
            attributes = {"currency": currency, **attributes}
        _sub(transaction, "value", attributes, text=_decimal(amount))
        _narratives(_sub(transaction, "description"), [(None, _(
            "Money disbursed to %(day)s, as reported by the pledger and accepted by the secretariat "
            "(increase since the previous report).") % {"day": report["period_end"].isoformat()})])


# --- the mapping tables ---------------------------------------------------------------------------


def _table(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def sector_table() -> dict[tuple[str, str], tuple[str, ...]]:
    """{(initiative slug, framework node code): DAC 5-digit sector codes} from data/iati_sectors.csv."""
    table: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _table("iati_sectors.csv"):
        table[(row["initiative"], row["node"])].append(row["sector"])
    return {key: tuple(codes) for key, codes in table.items()}


@cache
def organisation_types() -> dict[str, str]:
    """{entity type: IATI OrganisationType code} from data/iati_organisation_types.csv."""
    return {row["entity_type"]: row["organisation_type"] for row in _table("iati_organisation_types.csv")}


# --- small helpers -------------------------------------------------------------------------------


def _sub(parent, tag: str, attributes: dict | None = None, *, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes or {})
    if text is not None:
        element.text = text
    return element


def _narratives(parent, texts: list[tuple[str | None, str]]) -> None:
    """One narrative per text that is not empty; `None` as language means the file's default."""
    written = 0
    for language, text in texts:
        cleaned = xml_text(text)
        if cleaned or (written == 0 and language is None):
            narrative = etree.SubElement(parent, "narrative", {XML_LANG: language} if language else {})
            narrative.text = cleaned
            written += 1


def xml_text(value: object) -> str:
    """`value` as text XML 1.0 can carry: the platform's text cleaning (no control characters
    but newlines and tabs), then no surrogates or non-characters, which XML refuses too."""
    return "".join(c for c in text_clean(value)
                   if unicodedata.category(c) != "Cs" and c not in "\ufffe\uffff")


def _shares(count: int) -> list[str]:
    """`count` percentages with two decimals, as equal as they can be, summing to exactly 100."""
    if count == 0:
        return []
    each = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [str(each)] * (count - 1) + [str(Decimal(100) - each * (count - 1))]


def _decimal(value: Decimal) -> str:
    return f"{value:f}"


def _datetime(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _site_url(path: str) -> str:
    return settings.COALITION_SITE_URL.rstrip("/") + path

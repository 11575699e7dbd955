"""The registry's public tables: published pledges, their links, partners, quantified targets,
the entities behind them and their accepted progress reports.

Only what the public pages show: published pledges (no draft, submission or rejected pledge),
accepted reports (no draft, submitted or returned one), entities that lead or partner a published
pledge, and never a focal point, an e-mail address, a reviewer's comment or who acted.

A scope of a past day (`Scope.past`) reads the same tables through the dashboard's read model
(`explore.registry`): the pledge versions published at the moment, their links, and the partner,
target, entity and report versions current then. Only the querysets differ; the columns name
fields both the live and the historical models have ("id", not "pk", which is a version's
`history_id`).
"""

from django.utils.translation import gettext_lazy as _

from coalition.entities.models import Entity
from coalition.explore.registry import (
    entity_versions,
    partner_versions,
    report_versions,
    target_versions,
    version_links,
)
from coalition.opendata.tables.columns import Column, ForeignKey, Scope, Table, translated
from coalition.pledges.models import Campaign, Pledge, PledgePartner, PledgeTarget
from coalition.reporting.models import ImplementationStatus, ProgressReport, ReportStatus, VerificationLevel
from coalition.reporting.selectors import pledge_annotate_reporting_status
from coalition.reporting.status import ReportingStatus

PLEDGE = ForeignKey(("pledge_id",), "pledges", ("id",))
COUNTRY = ForeignKey(("country",), "countries", ("iso3",))


def _pledges(scope: Scope):
    # `pk` is the pledge's id, or a version's history_id: the same rows the selection holds.
    if scope.past:
        versions = Pledge.history.model.objects.filter(pk__in=scope.pledges.values("pk"))
        return pledge_annotate_reporting_status(versions, today=scope.today, reports=report_versions(scope.as_of))
    return pledge_annotate_reporting_status(Pledge.objects.filter(pk__in=scope.pledges.values("pk")), today=scope.today)


def _partners(scope: Scope):
    if scope.past:
        return partner_versions(scope.as_of).filter(pledge_id__in=scope.pledges.values("id"))
    return PledgePartner.objects.filter(pledge__in=scope.pledges.values("pk"))


def _entities(scope: Scope):
    # One list of ids (a UNION): as an OR of two IN conditions PostgreSQL searched the partners'
    # list once per entity when it guessed it too large to hash (over three minutes at a million
    # pledges, for 12,649 entities).
    partners = _partners(scope).values("entity_id")
    entities = entity_versions(scope.as_of) if scope.past else Entity.objects
    return entities.filter(id__in=scope.pledges.order_by().values("lead_entity_id").union(partners))


def _targets(scope: Scope):
    if scope.past:
        return target_versions(scope.as_of).filter(pledge_id__in=scope.pledges.values("id"))
    return PledgeTarget.objects.filter(pledge__in=scope.pledges.values("pk"))


def _accepted_reports(scope: Scope):
    if scope.past:
        return report_versions(scope.as_of).filter(status=ReportStatus.ACCEPTED, pledge_id__in=scope.pledges.values("id"))
    return ProgressReport.objects.filter(status=ReportStatus.ACCEPTED, pledge__in=scope.pledges.values("pk"))


PLEDGE_ID = Column("pledge_id", "integer", _("Pledge"), _("The pledge's identifier (pledges.id)."), "pledge_id",
                   example="1024", required=True)

PLEDGES = Table(
    name="pledges",
    title=_("Pledges"),
    description=_("Every published pledge: who pledged what, for which initiative, its value and dates, and where "
                  "it stands in the yearly reporting cycle."),
    queryset=_pledges,
    primary_key=("id",),
    order_by=("id",),
    foreign_keys=(
        ForeignKey(("lead_entity_id",), "entities", ("id",)),
        ForeignKey(("initiative",), "initiatives", ("slug",)),
        ForeignKey(("campaign",), "campaigns", ("slug",)),
    ),
    columns=(
        Column("id", "integer", _("Identifier"), _("The pledge's number on the platform; its page is /pledges/<id>/."),
               "id", example="1024", required=True),
        Column("title", "string", _("Title"), _("The pledge's title, as the pledger wrote it."), "title",
               example="Connect 500 rural schools", required=True),
        Column("description", "string", _("Description"), _("What the pledge commits to, as the pledger wrote it."),
               "description", example="Fibre and satellite links for rural schools."),
        Column("initiative", "string", _("Initiative"), _("The coalition or plan the pledge belongs to "
               "(initiatives.slug)."), "initiative__slug", example="p2c", required=True),
        Column("lead_entity_id", "integer", _("Pledging entity"), _("The organisation that leads the pledge "
               "(entities.id)."), "lead_entity_id", example="17", required=True),
        Column("pledge_type", "string", _("Type"), _("The kind of commitment."), "pledge_type",
               example="programmatic", enum=Pledge.Type, required=True),
        Column("scope", "string", _("Scope"), _("Where the pledge applies: one country, several, a region or the "
               "world."), "scope", example="national", enum=Pledge.Scope, required=True),
        Column("value_amount", "number", _("Estimated value"), _("The pledge's estimated value in the currency the "
               "pledger gave."), "value_amount", example="1000000.00"),
        Column("value_currency", "string", _("Currency"), _("ISO 4217 code of the value's currency."),
               "value_currency__code", example="EUR"),
        Column("value_year", "integer", _("Year of the value"), _("The year the value is expressed in (its prices "
               "and exchange rate)."), "value_year", example="2022"),
        Column("value_usd", "number", _("Estimated value (US$)"), _("The value converted to US dollars at the annual "
               "average rate of its year; empty while no rate is stored."), "value_usd", unit="USD",
               example="1053000.00"),
        Column("value_usd_provisional", "boolean", _("Provisional conversion"), _("True when the value year was not "
               "over and the year-to-date average rate was used."), "value_usd_provisional", example="false",
               required=True),
        Column("start_date", "date", _("Start"), _("When the pledge starts."), "start_date", example="2023-01-01"),
        Column("end_date", "date", _("End"), _("When the pledge ends."), "end_date", example="2026-12-31"),
        Column("campaign", "string", _("Campaign"), _("The campaign or event where it was announced "
               "(campaigns.slug)."), "campaign__slug", example="wtdc-22"),
        Column("published_at", "datetime", _("Published"), _("When the secretariat published the pledge (UTC)."),
               "published_at", example="2024-03-05T09:30:00Z", required=True),
        Column("reporting_status", "string", _("Reporting status"), _("Where the pledge stands in the yearly "
               "reporting cycle on the day of the file: a report is due one year after publication or after the "
               "last accepted report, overdue after two, and the pledge is inactive after three."),
               "reporting_status", example="on_time", enum=ReportingStatus),
        Column("is_demo", "boolean", _("Demo data"), _("True for generated demonstration data, not a real pledge."),
               "is_demo", example="false", required=True),
    ),
)


def _link(name: str, title, description, column: Column, foreign_key: ForeignKey, through: str) -> Table:
    def queryset(scope: Scope):
        # A version's links are keyed by its history_id (the selection's `pk` on a past day);
        # their `pledge_id` is the pledge's, as in the live table.
        if scope.past:
            return version_links(through).filter(history_id__in=scope.pledges.values("pk"))
        return getattr(Pledge, through).through.objects.filter(pledge_id__in=scope.pledges.values("pk"))

    return Table(
        name=name, title=title, description=description, queryset=queryset,
        columns=(PLEDGE_ID, column), primary_key=("pledge_id", column.name),
        foreign_keys=(PLEDGE, foreign_key), order_by=("pledge_id", column.source),
    )


PLEDGE_COUNTRIES = _link(
    "pledge_countries", _("Beneficiary countries"), _("The countries each pledge names as beneficiaries."),
    Column("country", "string", _("Country"), _("ISO 3166-1 alpha-3 code (countries.iso3)."), "country__iso3",
           example="KEN", required=True),
    COUNTRY, "beneficiary_countries",
)
PLEDGE_REGIONS = _link(
    "pledge_regions", _("Beneficiary regions"), _("The regions or country groups a regional pledge names."),
    Column("country_group", "string", _("Region or group"), _("The group's code (country_groups.code)."),
           "countrygroup__code", example="ITU-AFR", required=True),
    ForeignKey(("country_group",), "country_groups", ("code",)), "beneficiary_regions",
)
PLEDGE_FRAMEWORK_NODES = _link(
    "pledge_framework_nodes", _("Framework nodes"), _("The focus areas, pillars or actions each pledge contributes to."),
    Column("framework_node_id", "integer", _("Framework node"), _("framework_nodes.id"), "frameworknode_id",
           example="3", required=True),
    ForeignKey(("framework_node_id",), "framework_nodes", ("id",)), "framework_nodes",
)
PLEDGE_SDG_TARGETS = _link(
    "pledge_sdg_targets", _("SDG targets"), _("The Sustainable Development Goal targets each pledge names."),
    Column("sdg_target", "string", _("SDG target"), _("The target's code (sdg_targets.code)."), "sdgtarget__code",
           example="9.c", required=True),
    ForeignKey(("sdg_target",), "sdg_targets", ("code",)), "sdg_targets",
)
PLEDGE_WSIS_LINES = _link(
    "pledge_wsis_lines", _("WSIS action lines"), _("The WSIS action lines (C1–C11) each pledge names."),
    Column("wsis_line", "string", _("WSIS action line"), _("The line's code (wsis_lines.code)."), "wsisactionline__code",
           example="C2", required=True),
    ForeignKey(("wsis_line",), "wsis_lines", ("code",)), "wsis_lines",
)
PLEDGE_BENEFICIARY_GROUPS = _link(
    "pledge_beneficiary_groups", _("Beneficiary groups"), _("The population groups each pledge names "
                                                            "(women, youth…)."),
    Column("beneficiary_group", "string", _("Beneficiary group"), _("The group's code (beneficiary_groups.code)."),
           "beneficiarygroup__code", example="women", required=True),
    ForeignKey(("beneficiary_group",), "beneficiary_groups", ("code",)), "beneficiary_groups",
)

PARTNERS = Table(
    name="partners",
    title=_("Partners"),
    description=_("The organisations that implement or fund a pledge alongside its lead."),
    queryset=_partners,
    primary_key=("pledge_id", "entity_id"),
    foreign_keys=(PLEDGE, ForeignKey(("entity_id",), "entities", ("id",))),
    order_by=("pledge_id", "entity_id"),
    columns=(
        PLEDGE_ID,
        Column("entity_id", "integer", _("Partner"), _("The partner organisation (entities.id)."), "entity_id",
               example="42", required=True),
        Column("role", "string", _("Role"), _("What the partner does, in the pledger's words."), "role",
               example="Co-funder"),
    ),
)

PLEDGE_TARGETS = Table(
    name="pledge_targets",
    title=_("Quantified targets"),
    description=_("What each pledge promises to reach, in numbers: “train 10,000 women by 2026”."),
    queryset=_targets,
    primary_key=("id",),
    foreign_keys=(PLEDGE,),
    order_by=("pledge_id", "order", "id"),
    columns=(
        Column("id", "integer", _("Identifier"), _("The target's number."), "id", example="88", required=True),
        PLEDGE_ID,
        Column("description", "string", _("Target"), _("What is to be reached."), "description",
               example="Schools connected", required=True),
        Column("unit", "string", _("Unit"), _("What is counted."), "unit", example="schools", required=True),
        Column("target_value", "number", _("Target value"), _("The value to reach, in the unit."), "target_value",
               example="500.0000", required=True),
        Column("baseline_value", "number", _("Baseline"), _("The value at the start, in the unit."), "baseline_value",
               example="0.0000"),
        Column("target_date", "date", _("By"), _("When the value is to be reached."), "target_date",
               example="2026-12-31"),
    ),
)

ENTITIES = Table(
    name="entities",
    title=_("Entities"),
    description=_("The organisations that lead or partner a published pledge (no contact person or e-mail address)."),
    queryset=_entities,
    primary_key=("id",),
    order_by=("id",),
    foreign_keys=(ForeignKey(("home_country",), "countries", ("iso3",)),),
    columns=(
        Column("id", "integer", _("Identifier"), _("The entity's number; its page is /entities/<id>/."), "id",
               example="17", required=True),
        Column("name", "string", _("Name"), _("The organisation's name."), "name", example="Ministry of ICT, Kenya",
               required=True),
        Column("acronym", "string", _("Acronym"), _("Its usual short name."), "acronym", example="MoICT"),
        Column("entity_type", "string", _("Type"), _("The kind of organisation."), "entity_type",
               example="government", enum=Entity.Type, required=True),
        Column("home_country", "string", _("Home country"), _("Where it is based (countries.iso3)."),
               "home_country__iso3", example="KEN"),
        Column("itu_membership", "string", _("ITU membership"), _("Its membership of ITU."), "itu_membership",
               example="member_state", enum=Entity.ItuMembership, required=True),
        Column("website", "string", _("Website"), _("Its website."), "website", example="https://ict.go.ke"),
        Column("is_demo", "boolean", _("Demo data"), _("True for a generated demonstration organisation."), "is_demo",
               example="false", required=True),
    ),
)

PROGRESS_REPORTS = Table(
    name="progress_reports",
    title=_("Progress reports"),
    description=_("The yearly progress reports the secretariat accepted (drafts, submitted and returned reports are "
                  "not public). Each is cumulative to its period end."),
    queryset=_accepted_reports,
    primary_key=("id",),
    foreign_keys=(PLEDGE,),
    order_by=("pledge_id", "period_end", "id"),
    columns=(
        Column("id", "integer", _("Identifier"), _("The report's number."), "id", example="301", required=True),
        PLEDGE_ID,
        Column("year", "integer", _("Reporting year"), _("The year of the period end."), "year", example="2024",
               required=True),
        Column("period_end", "date", _("Period end"), _("The last day the report covers."), "period_end",
               example="2024-12-31", required=True),
        Column("implementation_status", "string", _("Implementation status"), _("Where implementation stands."),
               "implementation_status", example="on_track", enum=ImplementationStatus),
        Column("share_delivered", "number", _("Share delivered"), _("The share of the pledge delivered to the period "
               "end, 0 to 100."), "share_delivered", unit="%", example="40.00"),
        Column("disbursed_amount", "number", _("Money disbursed"), _("Money disbursed to the period end, in the "
               "currency the pledger gave."), "disbursed_amount", example="250000.00"),
        Column("disbursed_currency", "string", _("Currency"), _("ISO 4217 code of the money disbursed."),
               "disbursed_currency__code", example="EUR"),
        Column("disbursed_year", "integer", _("Year of the amount"), _("The year the amount is expressed in."),
               "disbursed_year", example="2024"),
        Column("disbursed_usd", "number", _("Money disbursed (US$)"), _("The amount converted to US dollars at the "
               "annual average rate of its year."), "disbursed_usd", unit="USD", example="270250.00"),
        Column("verification_level", "string", _("Verification level"), _("How far the secretariat could check the "
               "report."), "verification_level", example="documented", enum=VerificationLevel),
        Column("accepted_at", "datetime", _("Accepted"), _("When the secretariat accepted the report (UTC)."),
               "decided_at", example="2025-02-10T14:00:00Z"),
        Column("narrative", "string", _("What was done"), _("The pledger's account of the period."), "narrative",
               example="120 schools connected."),
        Column("challenges", "string", _("Challenges"), _("What stood in the way."), "challenges", example=""),
    ),
)

CAMPAIGNS = Table(
    name="campaigns",
    title=_("Campaigns and events"),
    description=_("The campaigns and events at which pledges are announced."),
    queryset=lambda scope: Campaign.objects.all(),
    primary_key=("slug",),
    foreign_keys=(ForeignKey(("initiative",), "initiatives", ("slug",)), COUNTRY),
    order_by=("start_date", "slug"),
    columns=(
        Column("slug", "string", _("Code"), _("The campaign's code."), "slug", example="wtdc-22", required=True),
        Column("initiative", "string", _("Initiative"), _("initiatives.slug"), "initiative__slug", example="p2c",
               required=True),
        Column("name", "string", _("Name"), _("The campaign's name."), translated("name"),
               example="World Telecommunication Development Conference 2022", required=True),
        Column("start_date", "date", _("Start"), _("First day."), "start_date", example="2022-06-06", required=True),
        Column("end_date", "date", _("End"), _("Last day."), "end_date", example="2022-06-16"),
        Column("location", "string", _("Place"), _("Where it was held."), "location", example="Kigali"),
        Column("country", "string", _("Country"), _("countries.iso3"), "country__iso3", example="RWA"),
        Column("url", "string", _("Web page"), _("Its web page."), "url", example="https://www.itu.int/wtdc22"),
    ),
)

PLEDGE_TABLES = (
    PLEDGES, PLEDGE_COUNTRIES, PLEDGE_REGIONS, PLEDGE_FRAMEWORK_NODES, PLEDGE_SDG_TARGETS, PLEDGE_WSIS_LINES,
    PLEDGE_BENEFICIARY_GROUPS, PARTNERS, PLEDGE_TARGETS, ENTITIES, PROGRESS_REPORTS,
    CAMPAIGNS,
)

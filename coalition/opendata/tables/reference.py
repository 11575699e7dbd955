"""The reference tables every figure is cut by: countries, dated country groups, initiatives and
their frameworks, SDG targets, WSIS action lines and beneficiary groups; and the connectivity
indicators with their values, sources and 2030 targets."""

from django.utils.translation import gettext_lazy as _

from coalition.indicators.models import DataSource, Indicator, Observation, Target
from coalition.opendata.tables.columns import Column, ForeignKey, Table, translated
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)

COUNTRY = ForeignKey(("country",), "countries", ("iso3",))
INDICATOR = ForeignKey(("indicator",), "indicators", ("code",))


def _all(model):
    return lambda scope: model.objects.all()


COUNTRIES = Table(
    name="countries", title=_("Countries"),
    description=_("Countries and territories with their ISO 3166-1 codes."),
    queryset=_all(Country), primary_key=("iso3",), order_by=("iso3",),
    columns=(
        Column("iso3", "string", _("ISO alpha-3"), _("ISO 3166-1 alpha-3 code."), "iso3", example="KEN", required=True),
        Column("iso2", "string", _("ISO alpha-2"), _("ISO 3166-1 alpha-2 code."), "iso2", example="KE", required=True),
        Column("numeric", "string", _("ISO numeric"), _("ISO 3166-1 numeric code, zero-padded (joins world maps)."),
               "numeric", example="404", required=True),
        Column("name", "string", _("Name"), _("The country's short name in the file's language."), translated("name"),
               example="Kenya", required=True),
    ),
)

COUNTRY_GROUPS = Table(
    name="country_groups", title=_("Country groups"),
    description=_("Named sets of countries: LDC, LLDC, SIDS, ITU and UN regions, ESCAP membership, income groups."),
    queryset=_all(CountryGroup), primary_key=("code",), order_by=("kind", "order", "code"),
    foreign_keys=(ForeignKey(("parent",), "", ("code",)),),
    columns=(
        Column("code", "string", _("Code"), _("The group's code."), "code", example="LDC", required=True),
        Column("kind", "string", _("Kind"), _("What sort of group it is."), "kind", example="development",
               enum=CountryGroup.Kind, required=True),
        Column("name", "string", _("Name"), _("The group's name in the file's language."), translated("name"),
               example="Least developed countries", required=True),
        Column("parent", "string", _("Part of"), _("The larger group it belongs to (country_groups.code)."),
               "parent__code", example="UN-AFRICA"),
        Column("source", "string", _("Source"), _("Where the list comes from."), "source",
               example="UN-OHRLLS"),
    ),
)

GROUP_MEMBERSHIPS = Table(
    name="group_memberships", title=_("Group memberships"),
    description=_("Which country belonged to which group, and when (countries graduate from LDC status)."),
    queryset=_all(CountryGroupMembership), primary_key=("id",), order_by=("group__code", "country__iso3", "valid_from", "id"),
    foreign_keys=(ForeignKey(("group",), "country_groups", ("code",)), COUNTRY),
    columns=(
        Column("id", "integer", _("Identifier"), _("The membership's number."), "pk", example="12", required=True),
        Column("group", "string", _("Group"), _("country_groups.code"), "group__code", example="LDC", required=True),
        Column("country", "string", _("Country"), _("countries.iso3"), "country__iso3", example="BTN", required=True),
        Column("valid_from", "date", _("Member from"), _("First day of membership; empty: since before the records."),
               "valid_from", example="1971-11-18"),
        Column("valid_to", "date", _("Member until"), _("First day the country is no longer a member; empty: still "
               "is."), "valid_to", example="2023-12-13"),
        Column("source", "string", _("Source"), _("Where the dates come from."), "source", example="UN-OHRLLS"),
    ),
)

INITIATIVES = Table(
    name="initiatives", title=_("Initiatives"),
    description=_("The coalitions and action plans hosted on the platform."),
    queryset=_all(Initiative), primary_key=("slug",), order_by=("slug",),
    columns=(
        Column("slug", "string", _("Code"), _("The initiative's code."), "slug", example="p2c", required=True),
        Column("kind", "string", _("Kind"), _("A coalition or an action plan."), "kind", example="coalition",
               enum=Initiative.Kind, required=True),
        Column("name", "string", _("Name"), _("Its name in the file's language."), translated("name"),
               example="Partner2Connect Digital Coalition", required=True),
        Column("short_name", "string", _("Short name"), _("Its short name."), "short_name", example="P2C",
               required=True),
        Column("host", "string", _("Secretariat"), _("Who hosts it."), "host", example="ITU BDT"),
        Column("mandate", "string", _("Mandate"), _("The resolution it implements."), "mandate",
               example="WTDC Resolution 88 (Kigali, 2022)"),
        Column("start_year", "integer", _("First year"), _("Its first year."), "start_year", example="2022"),
        Column("end_year", "integer", _("Last year"), _("Its last year."), "end_year", example="2026"),
    ),
)

FRAMEWORK_NODES = Table(
    name="framework_nodes", title=_("Framework nodes"),
    description=_("Each initiative's framework: focus areas and pillars, or pillars and actions."),
    queryset=_all(FrameworkNode), primary_key=("id",), order_by=("initiative__slug", "order", "code"),
    foreign_keys=(ForeignKey(("initiative",), "initiatives", ("slug",)), ForeignKey(("parent_id",), "", ("id",))),
    columns=(
        Column("id", "integer", _("Identifier"), _("The node's number."), "pk", example="3", required=True),
        Column("initiative", "string", _("Initiative"), _("initiatives.slug"), "initiative__slug", example="p2c",
               required=True),
        Column("code", "string", _("Code"), _("The node's code within its initiative."), "code", example="FA1",
               required=True),
        Column("level", "string", _("Level"), _("Its level in the framework."), "level", example="focus_area",
               enum=FrameworkNode.Level, required=True),
        Column("parent_id", "integer", _("Part of"), _("The node above it (framework_nodes.id)."), "parent_id",
               example="1"),
        Column("name", "string", _("Name"), _("Its name in the file's language."), translated("name"),
               example="Affordable access", required=True),
    ),
)

SDG_TARGETS = Table(
    name="sdg_targets", title=_("SDG targets"),
    description=_("The targets of the Sustainable Development Goals."),
    queryset=_all(SdgTarget), primary_key=("code",), order_by=("goal__number", "order", "code"),
    columns=(
        Column("code", "string", _("Code"), _("The target's code."), "code", example="9.c", required=True),
        Column("goal", "integer", _("Goal"), _("The goal's number, 1 to 17."), "goal__number", example="9",
               required=True),
        Column("title", "string", _("Title"), _("The target's short title in the file's language, written for "
                                                 "Coalition."), translated("short"),
               example="Universal, affordable Internet access in LDCs", required=True),
        Column("official_text", "string", _("Official text"),
               _("The target's official text from the United Nations, in the file's language where the platform "
                 "holds it, else in English; empty until the texts are loaded."), translated("title"),
               example="Significantly increase access to information and communications technology…"),
    ),
)

WSIS_LINES = Table(
    name="wsis_lines", title=_("WSIS action lines"),
    description=_("The action lines of the World Summit on the Information Society."),
    queryset=_all(WsisActionLine), primary_key=("code",), order_by=("order", "code"),
    foreign_keys=(ForeignKey(("parent",), "", ("code",)),),
    columns=(
        Column("code", "string", _("Code"), _("C1 to C11, C7.1 to C7.8."), "code", example="C2", required=True),
        Column("parent", "string", _("Part of"), _("The line above it (wsis_lines.code)."), "parent__code",
               example="C7"),
        Column("title", "string", _("Title"), _("Its title in the file's language."), translated("title"),
               example="Information and communication infrastructure", required=True),
    ),
)

BENEFICIARY_GROUPS = Table(
    name="beneficiary_groups", title=_("Beneficiary groups"),
    description=_("The population groups a pledge can name as beneficiaries."),
    queryset=_all(BeneficiaryGroup), primary_key=("code",), order_by=("order", "code"),
    columns=(
        Column("code", "string", _("Code"), _("The group's code."), "code", example="women", required=True),
        Column("name", "string", _("Name"), _("Its name in the file's language."), translated("name"),
               example="Women and girls", required=True),
    ),
)

REFERENCE_TABLES = (
    COUNTRIES, COUNTRY_GROUPS, GROUP_MEMBERSHIPS, INITIATIVES, FRAMEWORK_NODES, SDG_TARGETS, WSIS_LINES,
    BENEFICIARY_GROUPS,
)


DATA_SOURCES = Table(
    name="data_sources", title=_("Data sources"),
    description=_("The publishers of indicator values, with how to cite them and their licence."),
    queryset=_all(DataSource), primary_key=("code",), order_by=("code",),
    columns=(
        Column("code", "string", _("Code"), _("The source's code."), "code", example="wb-wdi", required=True),
        Column("name", "string", _("Name"), _("The source's name."), "name", example="World Development Indicators",
               required=True),
        Column("url", "string", _("Web page"), _("Where it publishes."), "url", example="https://data.worldbank.org"),
        Column("citation", "string", _("Citation"), _("How to cite it."), "citation", example="World Bank, WDI"),
        Column("licence", "string", _("Licence"), _("The licence of its values."), "licence", example="CC BY 4.0"),
    ),
)

INDICATORS = Table(
    name="indicators", title=_("Indicators"),
    description=_("The connectivity indicators in the catalogue, with their units."),
    queryset=_all(Indicator), primary_key=("code",), order_by=("order", "code"),
    foreign_keys=(ForeignKey(("preferred_source",), "data_sources", ("code",)),),
    columns=(
        Column("code", "string", _("Code"), _("The platform's code for the indicator."), "code",
               example="internet-use", required=True),
        Column("name", "string", _("Name"), _("Its name in the file's language."), translated("name"),
               example="Individuals using the Internet", required=True),
        Column("definition", "string", _("Definition"), _("What it measures."), translated("definition"),
               example="Share of the population that used the Internet in the last three months."),
        Column("unit", "string", _("Unit"), _("The unit of its values."), "unit", example="percent",
               enum=Indicator.Unit, required=True),
        Column("direction", "string", _("Desirable direction"), _("Whether higher or lower values are better."),
               "direction", example="increase", enum=Indicator.Direction, required=True),
        Column("preferred_source", "string", _("Preferred source"), _("Whose values figures use by default "
               "(data_sources.code)."), "preferred_source__code", example="itu-datahub"),
    ),
)

OBSERVATIONS = Table(
    name="observations", title=_("Indicator values"),
    description=_("The current value of each indicator for each country, year and source, with the edition of the "
                  "source that gave it."),
    queryset=_all(Observation), primary_key=("indicator", "country", "year", "source"),
    order_by=("indicator__code", "country__iso3", "year", "source__code"),
    foreign_keys=(INDICATOR, COUNTRY, ForeignKey(("source",), "data_sources", ("code",))),
    columns=(
        Column("indicator", "string", _("Indicator"), _("indicators.code"), "indicator__code", example="internet-use",
               required=True),
        Column("country", "string", _("Country"), _("countries.iso3"), "country__iso3", example="KEN", required=True),
        Column("year", "integer", _("Year"), _("The year the value describes."), "year", example="2023",
               required=True),
        Column("source", "string", _("Source"), _("data_sources.code"), "source__code", example="itu-datahub",
               required=True),
        Column("value", "number", _("Value"), _("The value, in the indicator's unit (indicators.unit)."), "value",
               example="40.8", required=True),
        Column("is_estimate", "boolean", _("Estimate"), _("True when the source marks the value as an estimate."),
               "is_estimate", example="false", required=True),
        Column("edition", "string", _("Edition"), _("The source's edition (vintage) that gave the value."),
               "edition__label", example="2024-11", required=True),
        Column("note", "string", _("Note"), _("The source's note on the value."), "note", example=""),
    ),
)

INDICATOR_TARGETS = Table(
    name="indicator_targets", title=_("2030 targets"),
    description=_("Target values of the indicators (the ITU/UN universal and meaningful connectivity targets)."),
    queryset=_all(Target), primary_key=("indicator", "year"), order_by=("indicator__code", "year"),
    foreign_keys=(INDICATOR,),
    columns=(
        Column("indicator", "string", _("Indicator"), _("indicators.code"), "indicator__code", example="internet-use",
               required=True),
        Column("year", "integer", _("Year"), _("The year the target is set for."), "year", example="2030",
               required=True),
        Column("value", "number", _("Target value"), _("Reached when the indicator is at or beyond it, in its "
               "desirable direction."), "value", example="100", required=True),
        Column("source", "string", _("Source"), _("Who set the target."), "source", example="ITU/UN-OSET"),
        Column("note", "string", _("Note"), _("A note on the target in the file's language."), translated("note"),
               example=""),
    ),
)

INDICATOR_TABLES = (DATA_SOURCES, INDICATORS, OBSERVATIONS, INDICATOR_TARGETS)

"""The country profile: what is pledged for one country as of a date, next to its connectivity
against the 2030 targets, its groups and its part in the action plans.

`country_profile_sections` builds the profile of many countries at once for the annual report's
annex — a constant number of queries whatever their number: the registry's figures per country
come from the day's stored tallies (`explore.daily`, the "country" and "focus-area-country"
kinds) and from one statement over the registry as of the date (pledgers, delivery, largest
pledgers: the same rules as `explore.tallies`' "entities" and "reported" tallies, held equal to a
country page's key figures by a test), indicators from `indicators.progress.countries_progress`,
groups from the memberships in force on the date, action-plan work from the action plan's
selectors. `country_profile_report` is one profile alone, with a chart, as a report of its own.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.actionplan.selectors.activities import measures_published, participation_stats, participations_published
from coalition.common.asof import AsOf
from coalition.common.formatting import number, share
from coalition.entities.models import Entity
from coalition.explore import charts
from coalition.explore.breakdowns import Breakdown, Row
from coalition.explore.daily import tallies_for
from coalition.explore.figures import share_of
from coalition.explore.registry import HistoricalRegistry
from coalition.explore.tallies import Scope, Tally, link_table, money, registry_sql
from coalition.indicators.aggregates import country_offline
from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.progress import LABELS as PROGRESS_LABELS
from coalition.indicators.progress import countries_progress
from coalition.indicators.selectors import UnknownIndicator, held_at
from coalition.reference.groups import KIND_SINGULAR
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership, FrameworkNode
from coalition.reporting.models import LATEST_FIRST
from coalition.reports.document import Chart, Column, Figure, Figures, Paragraph, Report, Section, Source, Table
from coalition.reports.render.cells import date_text

LARGEST_PLEDGERS = 5

# The kinds of group a profile names, in this order.
GROUP_KINDS = (
    CountryGroup.Kind.DEVELOPMENT, CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.UN_REGION,
    CountryGroup.Kind.UN_SUBREGION, CountryGroup.Kind.INCOME_GROUP, CountryGroup.Kind.ESCAP_MEMBERSHIP,
    CountryGroup.Kind.ESCAP_SUBREGION,
)


def country_profile_report(*, as_of: AsOf, params: dict, progress) -> Report:
    """The profile of the country `params["country"]` (ISO alpha-3, any case) as of `as_of`.
    Raises ValidationError on `country` when the code names no country."""
    code = str(params.get("country") or "").strip().upper()
    country = Country.objects.filter(iso3=code).first()
    if country is None:
        raise ValidationError({"country": _("“%(code)s” is not a country code: use an ISO 3166 alpha-3 code such as KEN.")
                                          % {"code": code[:20]}})
    progress(0, 1, _("Reading the figures of %(country)s") % {"country": country.name})
    section = country_profile_sections(countries=[country], as_of=as_of, full=True)[0]
    progress(1, 1, _("Done"))
    return Report(
        kind="country-profile",
        title=_("Country profile: %(country)s") % {"country": country.name},
        subtitle=_("Pledges, connectivity against the 2030 targets and action-plan work"),
        language=(get_language() or "en").split("-")[0],
        as_of=as_of.date,
        sections=section.sections,
        sources=section.sources,
        is_demo=registry_holds_demo(as_of=as_of),
    )


def registry_holds_demo(*, as_of: AsOf) -> bool:
    """Whether any pledge published at `as_of` is demo data: then the report says it is illustrative."""
    return HistoricalRegistry(as_of).published().filter(is_demo=True).exists()


@dataclass
class _Involvement:
    """A country's pledgers and delivery at a moment, read in one statement for every country."""

    pledgers: dict[int, int] = field(default_factory=dict)  # country id → entities leading or partnering
    reported: dict[int, Tally] = field(default_factory=dict)  # country id → pledges reported, US$ disbursed
    entities: dict[int, list[tuple[int, int, Decimal]]] = field(default_factory=dict)  # (entity, pledges, value)


def _involvement(*, as_of: AsOf, countries: list[Country]) -> _Involvement:
    """Per country: the distinct entities leading or partnering a pledge naming it, the pledges
    with an accepted report and the US dollars their latest accepted reports disbursed, and each
    entity's pledges naming it (the LARGEST_PLEDGERS largest) — the rules of the "entities" and "reported" tallies, applied per
    country. One statement; for one country, over its pledges only (found from the index of
    the countries' links) rather than the whole registry."""
    found = _Involvement()
    if not countries:
        return found
    country_ids = [country.pk for country in countries]
    sql = registry_sql(as_of, Scope(country=countries[0]) if len(countries) == 1 else None)
    order = ", ".join(f"r.{name.removeprefix('-')} DESC" for name in LATEST_FIRST)
    listed = ", ".join(["%s"] * len(country_ids))
    extra = [
        # Materialised: every part of the statement reads them, and the database would otherwise
        # compute them once per reader.
        (f"pc AS MATERIALIZED (SELECT DISTINCT l.country_id, p.id, p.value_usd, p.lead_entity_id FROM p JOIN"
         f" {link_table('beneficiary_countries')} l ON l.history_id = p.history_id WHERE l.country_id IN ({listed}))",
         list(country_ids)),
        ("involved AS MATERIALIZED (SELECT pc.country_id, pc.lead_entity_id AS entity_id, pc.id, pc.value_usd FROM pc"
         " UNION SELECT pc.country_id, pp.entity_id, pc.id, pc.value_usd FROM pc JOIN pp ON pp.pledge_id = pc.id)", []),
    ]
    rows = sql.rows(
        "SELECT 'pledgers', country_id, 0, COUNT(DISTINCT entity_id), 0 FROM involved GROUP BY country_id"
        " UNION ALL SELECT 'reported', pc.country_id, 0, COUNT(*), SUM(latest.disbursed_usd) FROM pc JOIN"
        f" (SELECT r.pledge_id, r.disbursed_usd, ROW_NUMBER() OVER (PARTITION BY r.pledge_id ORDER BY {order}) AS rank"
        " FROM r JOIN (SELECT DISTINCT id FROM pc) AS named ON named.id = r.pledge_id) latest"
        " ON latest.pledge_id = pc.id AND latest.rank = 1 GROUP BY pc.country_id"
        # The largest pledgers of each country, ranked as `_largest` ranks them, the rest left in the database.
        " UNION ALL SELECT 'entity', country_id, entity_id, pledges, value_usd FROM (SELECT country_id, entity_id,"
        " COUNT(*) AS pledges, SUM(value_usd) AS value_usd, ROW_NUMBER() OVER (PARTITION BY country_id"
        " ORDER BY COALESCE(SUM(value_usd), 0) DESC, COUNT(*) DESC, entity_id) AS rank FROM involved"
        " GROUP BY country_id, entity_id) AS ranked WHERE rank <= %s",
        [LARGEST_PLEDGERS],
        ctes=("p", "pp", "r"), extra=extra,
    )
    for kind, country_id, entity_id, count, value in rows:
        if kind == "pledgers":
            found.pledgers[country_id] = count
        elif kind == "reported":
            found.reported[country_id] = Tally(count, money(value))
        else:
            found.entities.setdefault(country_id, []).append((entity_id, count, money(value)))
    return found


@dataclass(frozen=True)
class _Read:
    """Everything the profiles read, for all the countries at once."""

    as_of: AsOf
    earlier: AsOf
    tallies: object
    tallies_earlier: object
    involvement: _Involvement
    involvement_earlier: _Involvement | None
    focus_areas: dict[str, str]  # "initiative:code" → label, in framework order
    entities: dict[int, Entity]
    progress: dict
    sources: dict[str, DataSource]
    offline: dict
    groups: dict[int, list[CountryGroup]]
    participants: dict
    activities: dict[int, int]
    measures: dict[int, int]


def _read(*, countries: list[Country], as_of: AsOf, full: bool) -> _Read:
    ids = [country.pk for country in countries]
    earlier = as_of.year_earlier()
    involvement = _involvement(as_of=as_of, countries=countries)
    top = set()
    for rows in involvement.entities.values():
        top |= {entity for entity, _n, _v in _largest(rows)}
    nodes = sorted(FrameworkNode.objects.filter(parent__isnull=True).select_related("initiative"),
                   key=lambda n: (n.initiative.name_en, n.order, n.code))
    held = held_at(as_of)
    progress = countries_progress(countries=countries, as_of=held)
    groups: dict[int, list[CountryGroup]] = defaultdict(list)
    memberships = (CountryGroupMembership.objects.as_of(as_of.date).filter(country_id__in=ids)
                   .select_related("group").order_by("group__order", "group__code"))
    for membership in memberships:
        if membership.group.kind in GROUP_KINDS:
            groups[membership.country_id].append(membership.group)
    stats = participation_stats(as_of=as_of)
    activities: dict[int, set] = defaultdict(set)
    for country_id, activity_id in participations_published(as_of=as_of).values_list("country_id", "activity_id"):
        activities[country_id].add(activity_id)
    measures: dict[int, int] = defaultdict(int)
    for country_id in measures_published(as_of=as_of).values_list("country_id", flat=True):
        measures[country_id] += 1
    return _Read(
        as_of=as_of, earlier=earlier, tallies=tallies_for(as_of), tallies_earlier=tallies_for(earlier),
        # The annex compares pledges and value with a year earlier (the stored tallies) but not
        # pledgers and delivery, which would read the whole registry a second time.
        involvement=involvement,
        involvement_earlier=_involvement(as_of=earlier, countries=countries) if full else None,
        focus_areas={f"{n.initiative.slug}:{n.code}": f"{n.initiative.short_name} {n.code} {n.name}" for n in nodes},
        entities=Entity.objects.in_bulk(top),
        progress=progress,
        sources=DataSource.objects.in_bulk([row.source for rows in progress.values() for row in rows if row.source],
                                           field_name="code"),
        offline=_offline(country_ids=ids, as_of=held),
        groups=groups,
        participants={row.country.pk: row for row in stats.rows},
        activities={pk: len(found) for pk, found in activities.items()},
        measures=dict(measures),
    )


def _offline(*, country_ids: list[int], as_of) -> dict:
    """The offline population by country id; none before the indicator catalogue is loaded."""
    try:
        return country_offline(country_ids=country_ids, as_of=as_of)
    except UnknownIndicator:
        return {}


def _largest(rows: list[tuple[int, int, Decimal]]) -> list[tuple[int, int, Decimal]]:
    """The largest pledgers: most value pledged, then most pledges, then the oldest entity."""
    return sorted(rows, key=lambda row: (-row[2], -row[1], row[0]))[:LARGEST_PLEDGERS]


def country_profile_sections(*, countries: list[Country], as_of: AsOf, full: bool = False) -> list[Section]:
    """One section per country (in the order given), each with subsections: key figures,
    pledges by focus area, largest pledgers, connectivity against the 2030 targets, groups,
    action-plan work. Every figure carries `as_of`'s date; each section carries the sources it
    cites (`Section.sources`).

    `full` is a profile on its own: a chart of the focus areas, the groups as a table and the
    action-plan work as key figures. The annex of two hundred profiles says the same in
    sentences and no chart: each drawing and each table costs typesetting time, and together
    they would take longer than the rest of the annual report.

    A constant number of queries, whatever the number of countries."""
    if not countries:
        return []
    read = _read(countries=countries, as_of=as_of, full=full)
    return [_country_section(country, read, full=full) for country in countries]


def _registry_source(as_of: AsOf) -> Source:
    return Source("registry", _("Coalition pledge registry: pledges published as of %(date)s, values in US dollars at "
                                "each pledge's value year; delivery from the latest accepted progress report of each "
                                "pledge.") % {"date": date_text(as_of.date)})


def _country_section(country: Country, read: _Read, *, full: bool) -> Section:
    date = read.as_of.date
    sources = {"registry": _registry_source(read.as_of)}
    subsections = [
        _key_figures(country, read),
        _focus_areas(country, read, with_chart=full),
        _pledgers(country, read),
        _connectivity(country, read, sources),
        _groups(country, read, sources, as_table=full),
        _action_plan(country, read, sources, as_figures=full),
    ]
    return Section(
        key=f"country-{country.iso3.lower()}",
        title=f"{country.name} ({country.iso3})",
        sections=tuple(section for section in subsections if section is not None),
        sources=tuple(sources[key] for key in sorted(sources)),
        blocks=(Paragraph(_("Figures as of %(date)s.") % {"date": date_text(date)}),),
    )


def _key_figures(country: Country, read: _Read) -> Section:
    now, then = read.tallies.get("country", country.iso3), read.tallies_earlier.get("country", country.iso3)
    delivered = read.involvement.reported.get(country.pk, Tally())
    then_known = read.involvement_earlier is not None
    delivered_then = read.involvement_earlier.reported.get(country.pk, Tally()) if then_known else None
    as_of, earlier = read.as_of.date, read.earlier.date
    registry = ("registry",)
    figures = (
        Figure("pledges", _("Pledges naming the country"), now.pledges, "count", as_of, then.pledges, earlier,
               sources=registry),
        Figure("value", _("Estimated value pledged"), now.value_usd, "usd", as_of, then.value_usd, earlier,
               note=_("Each pledge's whole value, also when it names other countries."), sources=registry),
        Figure("delivered", _("Disbursed, as reported"), delivered.value_usd, "usd", as_of,
               delivered_then.value_usd if then_known else None, earlier if then_known else None, note=_("%(share)s of the value pledged; %(n)s pledges reported.") % {
                   "share": share(share_of(delivered.value_usd, now.value_usd)), "n": number(delivered.pledges)},
               sources=registry),
        Figure("pledgers", _("Pledging organisations"), read.involvement.pledgers.get(country.pk, 0), "count", as_of,
               read.involvement_earlier.pledgers.get(country.pk, 0) if then_known else None,
               earlier if then_known else None,
               note=_("Leading or partnering a pledge naming the country."), sources=registry),
    )
    offline = read.offline.get(country.pk)
    if offline is not None:
        figures += (Figure(
            "offline", _("People offline (estimate)"), int(round(offline.offline)), "count", as_of,
            note=_("Population × share not using the Internet, %(year)s.") % {"year": offline.year},
            sources=("indicators",),
        ),)
    return Section(f"{country.iso3.lower()}-figures", _("Key figures"), (Figures(figures),))


def _focus_areas(country: Country, read: _Read, *, with_chart: bool) -> Section:
    counted = read.tallies.of("focus-area-country")
    total = read.tallies.get("country", country.iso3).pledges
    rows = []
    for key, label in read.focus_areas.items():
        tally = counted.get(f"{key}/{country.iso3}")
        if tally is not None:
            rows.append(Row(key, label, tally.pledges, tally.value_usd, share_of(tally.pledges, total)))
    table = Table(
        f"{country.iso3.lower()}-focus-areas", _("Pledges naming %(country)s, by focus area") % {"country": country.name},
        (Column("area", _("Focus area or pillar")), Column("pledges", _("Pledges"), "count"),
         Column("value", _("Estimated value (US$)"), "usd"), Column("share", _("Share of the country's pledges"), "share")),
        tuple((row.label, row.pledges, row.value_usd, row.share) for row in rows),
        note=_("A pledge counts in each focus area it names."), sources=("registry",),
    )
    blocks: tuple = (table,)
    if with_chart and rows:
        breakdown = Breakdown("focus-area", table.caption, _("Focus area or pillar"), rows)
        blocks = (Chart(f"{country.iso3.lower()}-focus-chart", table.caption, charts.breakdown_chart(breakdown),
                        _("Horizontal bars: the pledges naming the country in each focus area."), table,
                        ("registry",)),)
    if not rows:
        blocks = (Paragraph(_("No published pledge names this country in a focus area.")),)
    return Section(f"{country.iso3.lower()}-focus-areas", _("Pledges by focus area"), blocks)


def _pledgers(country: Country, read: _Read) -> Section:
    rows = _largest(read.involvement.entities.get(country.pk, []))
    if not rows:
        return Section(f"{country.iso3.lower()}-pledgers", _("Largest pledgers"),
                       (Paragraph(_("No organisation has pledged for this country yet.")),))
    table = Table(
        f"{country.iso3.lower()}-pledgers", _("The %(n)s organisations pledging most for %(country)s")
        % {"n": len(rows), "country": country.name},
        (Column("entity", _("Organisation")), Column("pledges", _("Pledges"), "count"),
         Column("value", _("Estimated value (US$)"), "usd")),
        tuple((read.entities[pk].name if pk in read.entities else "—", count, value) for pk, count, value in rows),
        note=_("Leading or partnering; each pledge with its whole value."), sources=("registry",),
    )
    return Section(f"{country.iso3.lower()}-pledgers", _("Largest pledgers"), (table,))


def _connectivity(country: Country, read: _Read, sources: dict[str, Source]) -> Section:
    rows = []
    for row in read.progress.get(country.pk, []):
        indicator, latest = row.indicator, row.observed[-1] if row.observed else None
        places = Decimal(1).scaleb(-indicator.decimals)
        value = Decimal(str(latest.value)).quantize(places) if latest else None
        edition = ""
        if latest is not None:
            source = read.sources.get(latest.source_code)
            key = f"indicator-{latest.source_code}-{latest.edition}"
            name = source.name if source else latest.source_name
            citation = f" {source.citation}" if source is not None and source.citation else ""
            sources.setdefault(key, Source(key, _("%(source)s, edition %(edition)s.") % {
                "source": name, "edition": latest.edition} + citation, source.url if source else ""))
            edition = f"{latest.source_name.split(' (')[0]} {latest.edition}"
        target = Decimal(str(row.target.value)).quantize(places)
        rows.append((indicator.short_name, value, latest.year if latest else None, target,
                     str(PROGRESS_LABELS.get(row.progress.label, row.progress.label)), edition,
                     indicator.get_unit_display() if indicator.unit != Indicator.Unit.PERCENT else "%"))
    if read.offline.get(country.pk) is not None:
        sources.setdefault("indicators", Source("indicators", _(
            "Offline population: population (World Bank) × share of individuals not using the Internet, the "
            "latest year with both values, as the platform held them on %(date)s.") % {"date": date_text(read.as_of.date)}))
    if not rows:
        return Section(f"{country.iso3.lower()}-connectivity", _("Connectivity against the 2030 targets"),
                       (Paragraph(_("No connectivity indicator with a 2030 target is loaded.")),))
    table = Table(
        f"{country.iso3.lower()}-connectivity", _("%(country)s against the 2030 targets") % {"country": country.name},
        (Column("indicator", _("Indicator")), Column("value", _("Latest value"), "number"),
         Column("year", _("Year"), "text"), Column("target", _("2030 target"), "number"),
         Column("status", _("Progress")), Column("source", _("Source and edition")), Column("unit", _("Unit"))),
        tuple(rows),
        note=_("Values as the platform held them on %(date)s; progress by the compound annual growth since 2015 "
               "against the growth the target needs.") % {"date": date_text(read.as_of.date)},
        sources=tuple(key for key in sorted(sources) if key.startswith("indicator-")),
    )
    return Section(f"{country.iso3.lower()}-connectivity", _("Connectivity against the 2030 targets"), (table,))


def _groups(country: Country, read: _Read, sources: dict[str, Source], *, as_table: bool) -> Section:
    groups = sorted(read.groups.get(country.pk, []), key=lambda g: (GROUP_KINDS.index(g.kind), g.order, g.code))
    sources.setdefault("groups", Source("groups", _(
        "Country groups: UN M49 and the UN-OHRLLS lists of LDCs, LLDCs and SIDS, ITU-D regions, World Bank income "
        "groups, ESCAP membership; memberships in force on the date.")))
    if not groups:
        return Section(f"{country.iso3.lower()}-groups", _("Groups"),
                       (Paragraph(_("The country belonged to no group on %(date)s.") % {"date": date_text(read.as_of.date)}),))
    if not as_table:
        listed = "; ".join(f"{group.name} ({KIND_SINGULAR.get(group.kind, group.kind)})" for group in groups)
        return Section(f"{country.iso3.lower()}-groups", _("Groups"), (Paragraph(
            _("On %(date)s: %(groups)s.") % {"date": date_text(read.as_of.date), "groups": listed}, sources=("groups",)),))
    table = Table(
        f"{country.iso3.lower()}-groups", _("Groups %(country)s belonged to on %(date)s")
        % {"country": country.name, "date": date_text(read.as_of.date)},
        (Column("kind", _("Kind")), Column("group", _("Group"))),
        tuple((str(KIND_SINGULAR.get(group.kind, group.kind)), group.name) for group in groups),
        sources=("groups",),
    )
    return Section(f"{country.iso3.lower()}-groups", _("Groups"), (table,))


def _action_plan(country: Country, read: _Read, sources: dict[str, Source], *, as_figures: bool) -> Section:
    participants = read.participants.get(country.pk)
    activities, measures = read.activities.get(country.pk, 0), read.measures.get(country.pk, 0)
    if participants is None and not measures:
        return Section(f"{country.iso3.lower()}-action-plan", _("Action plans"),
                       (Paragraph(_("No participation in an action-plan activity and no national measure published "
                                    "as of %(date)s.") % {"date": date_text(read.as_of.date)}),))
    sources.setdefault("action-plan", Source("action-plan", _(
        "Action-plan records: activities, participations and national measures published as of %(date)s.")
        % {"date": date_text(read.as_of.date)}))
    date = read.as_of.date
    cited = ("action-plan",)
    if not as_figures:
        return Section(f"{country.iso3.lower()}-action-plan", _("Action plans"), (Paragraph(
            _("As of %(date)s: %(participants)s participants (%(women)s women, %(men)s men) in %(activities)s "
              "activities; %(measures)s national measures.") % {
                "date": date_text(date), "participants": number(participants.total if participants else 0),
                "women": number(participants.women if participants else 0),
                "men": number(participants.men if participants else 0),
                "activities": number(activities), "measures": number(measures)}, sources=cited),))
    figures = (
        Figure("activities", _("Activities taken part in"), activities, "count", date, sources=cited),
        Figure("participants", _("Participants"), participants.total if participants else 0, "count", date,
               note=_("%(women)s women, %(men)s men") % {"women": number(participants.women if participants else 0),
                                                        "men": number(participants.men if participants else 0)},
               sources=cited),
        Figure("measures", _("National measures"), measures, "count", date, sources=cited),
    )
    return Section(f"{country.iso3.lower()}-action-plan", _("Action plans"), (Figures(figures),))


"""The annual coalition report as of a date: the shape of the Partner2Connect annual reports.

Every figure is read from the selectors the public pages read, for the same date: the dashboard
(`explore.dashboard.dashboard_for`: key figures, growth against the same day a year earlier,
breakdowns, months, countries), the stored tallies of the day (`explore.daily.tallies_for`: the
reporting statuses), the indicators' group aggregates and progress rule (`indicators.aggregates`,
`indicators.progress`) and the country profiles (`builders.country_profile`). Nothing here counts
a pledge, so a figure in the report is the figure `?as_of=` shows on the site for that day, and
the report's queries do not grow with the registry.

The parts other builders reuse (the connectivity section, the breakdown tables and charts, the
reporting statuses, the footnotes of the registry and of each indicator) are public functions.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from coalition.common import formatting
from coalition.common.asof import AsOf
from coalition.common.i18n import fold
from coalition.explore import charts
from coalition.explore.breakdowns import Breakdown
from coalition.explore.daily import tallies_for
from coalition.explore.dashboard import Dashboard, dashboard_for
from coalition.explore.figures import GROUP_ACRONYMS, KeyFigures, reporting_statuses_from, share_of
from coalition.explore.registry import published_pledge_versions
from coalition.explore.tallies import Tallies
from coalition.indicators import aggregates
from coalition.indicators.models import DataSource, Edition, Indicator, Observation, Target
from coalition.indicators.progress import LABELS, progress_of
from coalition.indicators.selectors import held_at, source_with_most_values
from coalition.reference.models import Country, CountryGroup
from coalition.reporting.status import CLOSED_STATUSES, STATUS_ORDER, ReportingStatus, reporting_periods
from coalition.reports.builders.country_profile import country_profile_sections
from coalition.reports.document import Chart, Column, Figure, Figures, Paragraph, Report, Section, Source, Table

# The breakdowns the annual report shows, in this order (keys of explore.breakdowns.BREAKDOWNS).
BREAKDOWNS = ("focus-area", "type", "stakeholder", "implementation-region", "home-region", "beneficiary-group", "sdg")

# The groups the connectivity section compares with the world (reference data codes).
SPECIAL = ("LDC", "LLDC", "SIDS")

# Progress toward the 2030 targets is measured from this year (the indicators' own default).
BASE_YEAR = 2015
TARGET_YEAR = 2030

# Footnote keys.
REGISTRY, COUNTING, DEMO, REPORTING_RULE = "registry", "counting", "demo", "reporting-rule"


def day_text(day: datetime.date) -> str:
    """A date as the reader's language writes it: "6 December 2026", "6 décembre 2026"."""
    return date_format(day, "j F Y")


def registry_sources(as_of: AsOf, *, demo: bool) -> list[Source]:
    """The footnotes every registry figure cites: the registry as of the date, the counting rules,
    and, when demo pledges are counted, that the figures are illustrative."""
    sources = [
        Source(REGISTRY, _("Coalition registry: published pledges, their partners and their accepted progress "
                           "reports as they stood at the end of %(date)s, rebuilt from their dated versions.")
               % {"date": day_text(as_of.date)}),
        Source(COUNTING, _("A pledge counts once in each category it names, with its whole estimated value, so "
                           "category totals can exceed the number of pledges; an organisation counts once whether "
                           "it leads or partners; a pledge targets a group when it names the group or a country "
                           "that belonged to it on the date. Values are in US dollars at the pledge's value year.")),
    ]
    if demo:
        sources.append(Source(DEMO, _("Illustrative: the registry on this date holds generated demo pledges and "
                                      "organisations; these figures are not real commitments.")))
    return sources


def demo_counted(as_of: AsOf) -> bool:
    """Whether a demo pledge was published at `as_of` (then the figures are illustrative). One query."""
    return published_pledge_versions(as_of).filter(is_demo=True).exists()


def _registry(demo: bool) -> tuple[str, ...]:
    return (REGISTRY, DEMO) if demo else (REGISTRY,)


# --- Key figures and money -------------------------------------------------------------------


def key_figures(board: Dashboard, *, demo: bool) -> Figures:
    """The headline figures, each beside the same figure a year earlier."""
    key, earlier = board.key, board.growth.earlier
    then = earlier.as_of.date
    cited = _registry(demo)

    def figure(name, label, value, previous, unit="count"):
        return Figure(name, label, value, unit, key.as_of.date, previous, then, sources=cited)

    return Figures((
        figure("pledges", _("Published pledges"), key.pledges, earlier.pledges),
        figure("value_usd", _("Estimated value pledged"), key.value_usd, earlier.value_usd, "usd"),
        figure("entities", _("Organisations pledging"), key.entities, earlier.entities),
        figure("countries", _("Beneficiary countries named"), key.countries, earlier.countries),
    ))


def money_figures(key: KeyFigures, *, demo: bool) -> Figures:
    """Pledged against delivered: the money disbursed in each pledge's latest accepted report."""
    day, cited = key.as_of.date, _registry(demo)
    return Figures((
        Figure("pledges_with_value", _("Pledges with an estimated value"), key.pledges_with_value, "count", day,
               sources=cited),
        Figure("disbursed_usd", _("Disbursed, latest accepted reports"), key.disbursed_usd, "usd", day, sources=cited),
        Figure("disbursed_share", _("Disbursed, share of the value pledged"), key.disbursed_share, "share", day,
               sources=cited),
        Figure("reported", _("Pledges with an accepted progress report"), key.reported, "count", day, sources=cited),
        Figure("reported_share", _("Share of pledges with an accepted report"), key.reported_share, "share", day,
               sources=cited),
    ))


def value_parts_table(key: KeyFigures, *, demo: bool) -> Table:
    """The value pledged in its four parts (`figures.value_parts`), which add up to it."""
    parts = key.parts
    rows = tuple((label, value, share, parts.pledges[part]) for part, label, _help, value, share in parts.rows())
    return Table(
        "table-value-parts", _("The value pledged in four parts"),
        (Column("part", _("Part")), Column("value_usd", _("US dollars"), "usd"),
         Column("share", _("Share of the value pledged"), "share"), Column("pledges", _("Pledges"), "count")),
        (*rows, (_("Value pledged"), parts.pledged, share_of(parts.pledged, parts.pledged), key.pledges)),
        note=" ".join(help_text for _part, _label, help_text, _value, _share in parts.rows()),
        sources=(*_registry(demo), REPORTING_RULE),
    )


def money_paragraphs(key: KeyFigures) -> list[str]:
    """What the pledged and delivered figures mean, and what awaits an exchange rate."""
    texts = [ngettext(
        "%(reported)s pledge had an accepted progress report; the money its pledger reported disbursed comes to "
        "%(disbursed)s, %(share)s of the %(pledged)s pledged in all.",
        "%(reported)s pledges had an accepted progress report; the money their pledgers reported disbursed comes "
        "to %(disbursed)s, %(share)s of the %(pledged)s pledged in all.",
        key.reported,
    ) % {"reported": formatting.number(key.reported), "disbursed": formatting.usd(key.disbursed_usd),
         "share": formatting.share(key.disbursed_share), "pledged": formatting.usd(key.value_usd)}]
    parts = key.parts
    texts.append(_(
        "The value pledged counts every published pledge, whatever its reporting: %(delivered)s of it is delivered, "
        "%(to_deliver)s is still to deliver by pledges that report, %(at_risk)s is at risk with inactive pledges and "
        "%(closed)s was left undelivered by pledges whose reporting has closed."
    ) % {"delivered": formatting.usd(parts.delivered), "to_deliver": formatting.usd(parts.to_deliver),
         "at_risk": formatting.usd(parts.at_risk), "closed": formatting.usd(parts.closed_undelivered)})
    if parts.beyond_pledged:
        texts.append(_("Pledgers also reported %(beyond)s disbursed beyond the value of their pledges, which is not "
                       "counted in the parts.") % {"beyond": formatting.usd(parts.beyond_pledged)})
    pending = key.pending
    if pending.pledges:
        texts.append(ngettext(
            "%(count)s pledge is left out of the value pledged until an exchange rate for its currency and year is "
            "available (%(amounts)s).",
            "%(count)s pledges are left out of the value pledged until an exchange rate for their currency and year "
            "is available (%(amounts)s).",
            pending.pledges,
        ) % {"count": formatting.number(pending.pledges), "amounts": formatting.amounts(pending.pledged)})
    if pending.reports:
        texts.append(ngettext(
            "%(count)s report's money disbursed is left out until an exchange rate is available (%(amounts)s).",
            "%(count)s reports' money disbursed is left out until an exchange rate is available (%(amounts)s).",
            pending.reports,
        ) % {"count": formatting.number(pending.reports), "amounts": formatting.amounts(pending.disbursed)})
    if pending.provisional_pledges or pending.provisional_reports:
        texts.append(_("%(pledges)s pledges and %(reports)s reports count at a provisional exchange rate, the "
                       "average of a year not over yet.")
                     % {"pledges": formatting.number(pending.provisional_pledges),
                        "reports": formatting.number(pending.provisional_reports)})
    return texts


# --- Breakdowns ------------------------------------------------------------------------------


def chart_spec(spec: dict) -> dict:
    """A web chart's spec with its lazily translated labels written out in the active language,
    so that the report keeps plain data (and `report_data` can write it)."""
    return json.loads(json.dumps(spec, cls=DjangoJSONEncoder))


def breakdown_table(breakdown: Breakdown, *, demo: bool) -> Table:
    """A breakdown's rows: category, pledges, estimated value, share of all pledges."""
    return Table(
        f"table-{breakdown.slug}", str(breakdown.title),
        (Column("category", str(breakdown.category)), Column("pledges", _("Pledges"), "count"),
         Column("value_usd", _("Estimated value"), "usd"), Column("share", _("Share of pledges"), "share")),
        tuple((row.label, row.pledges, row.value_usd, row.share) for row in breakdown.rows),
        note=str(breakdown.note), sources=(*_registry(demo), COUNTING),
    )


def breakdown_chart(breakdown: Breakdown, *, demo: bool) -> Chart:
    """A breakdown as the dashboard draws it (`explore.charts.breakdown_chart`), with its table."""
    return Chart(f"chart-{breakdown.slug}", str(breakdown.title), chart_spec(charts.breakdown_chart(breakdown)),
                 str(breakdown.title), breakdown_table(breakdown, demo=demo), (*_registry(demo), COUNTING))


def group_figures(key: KeyFigures, *, demo: bool) -> Figures:
    """Pledges and value targeting the LDCs, LLDCs and SIDS, with their shares of all."""
    day, cited = key.as_of.date, (*_registry(demo), COUNTING)
    figures = []
    for group in key.groups:
        figures += [
            Figure(f"group:{group.code}:pledges", _("Pledges targeting the %(group)s") % {"group": group.plural},
                   group.pledges, "count", day, sources=cited),
            Figure(f"group:{group.code}:value_usd", _("Value targeting the %(group)s") % {"group": group.plural},
                   group.value_usd, "usd", day, sources=cited),
            Figure(f"group:{group.code}:share", _("Share of pledges targeting the %(group)s") % {"group": group.plural},
                   group.share_pledges, "share", day, sources=cited),
        ]
    return Figures(tuple(figures))


def group_table(key: KeyFigures, *, demo: bool) -> Table:
    return Table(
        "table-special-groups", _("Pledges targeting the least developed countries, landlocked developing countries "
                                  "and small island developing States"),
        (Column("group", _("Group")), Column("pledges", _("Pledges"), "count"),
         Column("share_pledges", _("Share of pledges"), "share"), Column("value_usd", _("Estimated value"), "usd"),
         Column("share_value", _("Share of the value"), "share")),
        tuple((group.name, group.pledges, group.share_pledges, group.value_usd, group.share_value) for group in key.groups),
        note=_("A pledge targets a group when it names the group or a country that belonged to it on the date."),
        sources=(*_registry(demo), COUNTING),
    )


# --- Reporting compliance --------------------------------------------------------------------


def reporting_figures(statuses: dict[str, int], *, day: datetime.date, demo: bool) -> Figures:
    labels = dict(ReportingStatus.choices)
    return Figures(tuple(
        Figure(f"reporting:{status}", str(labels[status]), statuses[str(status)], "count", day,
               sources=(*_registry(demo), REPORTING_RULE))
        for status in STATUS_ORDER
    ))


def reporting_source() -> Source:
    due, overdue, inactive = reporting_periods()
    return Source(REPORTING_RULE, _(
        "Reporting status (the UN Partnerships platform rule): a pledge's clock starts when it is published and "
        "restarts when a report is accepted; its report is due after %(due)s days, overdue after %(overdue)s, and "
        "the pledge is inactive after %(inactive)s. An accepted report that says the pledge is completed or "
        "discontinued closes its reporting; past its end date a pledge owes one final report at once, and its "
        "reporting ends with it, or without it once the inactive period has run.") % {"due": formatting.number(due), "overdue": formatting.number(overdue),
                                                         "inactive": formatting.number(inactive)})


def reporting_sentence(statuses: dict[str, int]) -> str:
    total = sum(statuses.values())
    numbers = {"total": formatting.number(total), **{key: formatting.number(value) for key, value in statuses.items()}}
    text = ngettext(
        "Of %(total)s published pledge, %(on_time)s was on time with its reporting, %(due)s had a report due, "
        "%(overdue)s had a report overdue and %(inactive)s was inactive.",
        "Of %(total)s published pledges, %(on_time)s were on time with their reporting, %(due)s had a report due, "
        "%(overdue)s had a report overdue and %(inactive)s were inactive.",
        total,
    ) % numbers
    closed = sum(statuses[str(status)] for status in CLOSED_STATUSES)
    if closed:
        text += " " + ngettext(
            "The reporting of %(closed)s pledge had closed: %(completed)s completed, %(discontinued)s discontinued, "
            "%(ended)s ended with a final report and %(ended_unreported)s ended without one.",
            "The reporting of %(closed)s pledges had closed: %(completed)s completed, %(discontinued)s discontinued, "
            "%(ended)s ended with a final report and %(ended_unreported)s ended without one.",
            closed,
        ) % {**numbers, "closed": formatting.number(closed)}
    return text


# --- Connectivity against the 2030 targets ---------------------------------------------------


@dataclass(frozen=True)
class GroupProgress:
    """One group's (or the world's) latest aggregate of an indicator, and its progress label."""

    code: str
    name: str
    year: int | None
    value: float | None
    coverage: float
    label: str  # a key of indicators.progress.LABELS
    offline: float | None = None


@dataclass(frozen=True)
class Connectivity:
    """One indicator with a 2030 target: the world's and the special groups' latest values."""

    indicator: Indicator
    target: Target
    source: DataSource | None
    edition: str  # the source's latest edition held on the date
    groups: tuple[GroupProgress, ...]

    def group(self, code: str) -> GroupProgress | None:
        return next((group for group in self.groups if group.code == code), None)


def connectivity_as_of(as_of: AsOf) -> list[Connectivity]:
    """Every indicator with a 2030 target, aggregated for the world and the LDCs, LLDCs and SIDS
    (`indicators.aggregates`, from the values held at `as_of`, members as of its date) from
    BASE_YEAR to the latest year with observed values, with the progress label of each series
    (`indicators.progress.progress_of`). A constant number of queries per indicator."""
    held = held_at(as_of)
    targets = list(Target.objects.filter(year=TARGET_YEAR).select_related("indicator__preferred_source")
                   .order_by("indicator__order", "indicator__code"))
    existing = set(CountryGroup.objects.filter(code__in=SPECIAL).values_list("code", flat=True))
    codes = [aggregates.WORLD, *(code for code in SPECIAL if code in existing)]
    editions: dict[int, str] = {}
    held_editions = Edition.objects.order_by("first_imported_at", "pk")
    if held is not None:
        held_editions = held_editions.filter(first_imported_at__lte=held)
    for source_id, label in held_editions.values_list("source_id", "label"):
        editions[source_id] = label  # the latest imported wins
    rows = []
    for target in targets:
        indicator = target.indicator
        source = indicator.preferred_source or source_with_most_values(indicator)
        groups = []
        if source is not None:
            years = range(BASE_YEAR, as_of.date.year + 1)
            series = aggregates.aggregates(indicator=indicator, source=source, groups=codes, years=years, as_of=held)
            for code in codes:
                observed = [a for a in series if a.group == code and a.value is not None and a.coverage > 0]
                values = {a.year: a.value for a in observed}
                assessed = progress_of(values=values, target=target.value, direction=indicator.direction,
                                       base_year=BASE_YEAR, target_year=TARGET_YEAR,
                                       percent=indicator.unit == Indicator.Unit.PERCENT)
                latest = observed[-1] if observed else None
                name = next((a.group_name for a in series if a.group == code), code)
                groups.append(GroupProgress(code, name, latest.year if latest else None, latest.value if latest else None,
                                            latest.coverage if latest else 0.0, assessed.label,
                                            latest.offline if latest else None))
        rows.append(Connectivity(indicator, target, source, editions.get(source.pk, "") if source else "", tuple(groups)))
    return rows


def indicator_value(value: float | None, indicator: Indicator) -> Decimal | None:
    """An aggregate as the report keeps it: rounded to the indicator's decimals."""
    if value is None:
        return None
    return Decimal(f"{value:.{indicator.decimals}f}")


def connectivity_sources(rows: list[Connectivity]) -> list[Source]:
    """One footnote per indicator (its source and edition held on the date), one per target source."""
    sources, targets = [], {}
    for row in rows:
        if row.source is not None:
            text = _("%(indicator)s: %(source)s, edition %(edition)s; population-weighted group aggregates, members "
                     "as of the report's date.") % {"indicator": row.indicator.name, "source": row.source.name,
                                                    "edition": row.edition or "—"}
            sources.append(Source(f"indicator:{row.indicator.code}", text, row.source.url))
        targets.setdefault(row.target.source, row.target.source_url)
    sources += [Source(f"target:{index}", text, url) for index, (text, url) in enumerate(sorted(targets.items()), start=1)]
    return sources


def _target_key(rows: list[Connectivity], row: Connectivity) -> str:
    texts = sorted({r.target.source for r in rows})
    return f"target:{texts.index(row.target.source) + 1}"


def connectivity_table(rows: list[Connectivity], *, as_of: AsOf) -> Table:
    """Indicator, target, the world's and each group's latest value, the world's year and progress."""
    codes = [group.code for group in rows[0].groups] if rows and rows[0].groups else [aggregates.WORLD]
    names = {code: str(GROUP_ACRONYMS.get(code, code)) for code in codes} | {aggregates.WORLD: _("World")}
    columns = (
        Column("indicator", _("Indicator")), Column("target", _("Target %(year)s") % {"year": TARGET_YEAR}, "number"),
        *(Column(code, names[code], "number") for code in codes),
        Column("year", _("Year (world)")), Column("progress", _("Progress (world)")),
    )
    table_rows = []
    for row in rows:
        world = row.group(aggregates.WORLD)
        table_rows.append((
            row.indicator.short_name, Decimal(str(row.target.value)),
            *(indicator_value(group.value, row.indicator) if (group := row.group(code)) else None for code in codes),
            str(world.year) if world and world.year else "—",
            str(LABELS[world.label] if world else LABELS["insufficient"]),
        ))
    keys = [f"indicator:{row.indicator.code}" for row in rows if row.source is not None]
    return Table("table-connectivity", _("Connectivity against the %(year)s targets") % {"year": TARGET_YEAR},
                 columns, tuple(table_rows),
                 note=_("Each group's latest year with observed values held on %(date)s (the sentences above give "
                        "each year); progress from %(base)s, by the compound annual growth needed to reach the target.")
                 % {"date": day_text(as_of.date), "base": BASE_YEAR},
                 sources=tuple(keys + sorted({_target_key(rows, row) for row in rows})))


def connectivity_figures(rows: list[Connectivity], *, as_of: AsOf) -> Figures:
    """The world's latest value of every indicator with a target, and the offline people."""
    figures = []
    for row in rows:
        world = row.group(aggregates.WORLD)
        if world is None or world.value is None:
            continue
        unit = "percent" if row.indicator.unit == Indicator.Unit.PERCENT else "number"
        figures.append(Figure(
            f"connectivity:{row.indicator.code}:{aggregates.WORLD}", row.indicator.short_name,
            indicator_value(world.value, row.indicator), unit, as_of.date,
            note=_("World, %(year)s; target %(target)s by %(target_year)s: %(label)s")
            % {"year": world.year, "target": formatting.number(row.target.value, row.indicator.decimals),
               "target_year": TARGET_YEAR, "label": LABELS[world.label]},
            sources=(f"indicator:{row.indicator.code}", _target_key(rows, row)),
        ))
        if world.offline is not None:
            figures.append(Figure(
                f"connectivity:offline:{aggregates.WORLD}", _("People offline"), int(round(world.offline)), "count",
                as_of.date, note=_("World, %(year)s: population × (1 − share using the Internet)") % {"year": world.year},
                sources=(f"indicator:{row.indicator.code}",),
            ))
    return Figures(tuple(figures))


def indicator_text(value: float | None, indicator: Indicator) -> str:
    """A value of an indicator in a sentence: "73.3%" / "73,3 %" for a percentage, else the number."""
    if value is None:
        return "—"
    if indicator.unit == Indicator.Unit.PERCENT:
        return formatting.share(Decimal(str(value)) / 100, indicator.decimals)
    return formatting.number(value, indicator.decimals)


def connectivity_sentences(rows: list[Connectivity]) -> list[str]:
    """One sentence per indicator with a world value: where the world and the groups stand."""
    texts = []
    for row in rows:
        world = row.group(aggregates.WORLD)
        if world is None or world.value is None:
            continue
        parts = [
            _("%(group)s %(value)s (%(year)s)") % {"group": group.name, "value": indicator_text(group.value, row.indicator),
                                                  "year": group.year}
            for group in row.groups if group.code != aggregates.WORLD and group.value is not None
        ]
        text = _("%(indicator)s: %(value)s worldwide in %(year)s against a target of %(target)s by %(target_year)s "
                 "(%(label)s).") % {
            "indicator": row.indicator.name, "value": indicator_text(world.value, row.indicator), "year": world.year,
            "target": indicator_text(row.target.value, row.indicator), "target_year": TARGET_YEAR,
            "label": str(LABELS[world.label]).lower()}
        if parts:
            text += " " + _("Groups: %(groups)s.") % {"groups": "; ".join(parts)}
        texts.append(text)
    return texts


# --- The annex -------------------------------------------------------------------------------


def annex_countries(tallies: Tallies, as_of: AsOf) -> list[Country]:
    """Every country some published pledge names at `as_of`, or with an indicator value held then,
    in alphabetical order of the reader's language. Two queries."""
    held = held_at(as_of)
    observed = Observation.objects.all() if held is None else Observation.objects.filter(edition__first_imported_at__lte=held)
    countries = Country.objects.filter(
        Q(iso3__in=sorted(tallies.of("country"))) | Q(pk__in=observed.values("country_id"))
    )
    return sorted(countries, key=lambda country: (fold(country.name), country.iso3))


def annex_sections(countries: list[Country], *, as_of: AsOf) -> tuple[Section, ...]:
    """The country profiles of `countries` (`builders.country_profile.country_profile_sections`),
    read in one batch: its queries do not grow with the number of countries, and each batch reads
    the registry as of the date once, so cutting the annex into batches would cost more than the
    progress shown between them is worth."""
    return tuple(country_profile_sections(countries=countries, as_of=as_of))


# --- The report ------------------------------------------------------------------------------


def growth_sentence(board: Dashboard) -> str:
    growth, earlier = board.growth, board.growth.earlier
    if growth.pledges is None:
        return _("On %(then)s, a year earlier, the registry held no published pledge.") % {"then": day_text(earlier.as_of.date)}
    return _("Against %(then)s, a year earlier, published pledges changed by %(pledges)s (from %(before)s), their "
             "estimated value by %(value)s and the number of organisations pledging by %(entities)s.") % {
        "then": day_text(earlier.as_of.date), "pledges": formatting.share(growth.pledges),
        "before": formatting.number(earlier.pledges), "value": formatting.share(growth.value_usd),
        "entities": formatting.share(growth.entities)}


def summary_paragraphs(board: Dashboard, statuses: dict[str, int], *, demo: bool) -> list[Paragraph]:
    key = board.key
    cited = _registry(demo)
    texts = [
        ngettext(
            "As of %(date)s, the registry held %(pledges)s published pledge from %(entities)s organisations, with an "
            "estimated value of %(value)s, naming %(countries)s beneficiary countries.",
            "As of %(date)s, the registry held %(pledges)s published pledges from %(entities)s organisations, with an "
            "estimated value of %(value)s, naming %(countries)s beneficiary countries.",
            key.pledges,
        ) % {"date": day_text(key.as_of.date), "pledges": formatting.number(key.pledges),
             "entities": formatting.number(key.entities), "value": formatting.usd(key.value_usd),
             "countries": formatting.number(key.countries)},
        growth_sentence(board),
    ]
    if key.groups:
        texts.append(_("Pledges targeting the least developed countries, landlocked developing countries and small "
                       "island developing States: %(groups)s.") % {"groups": "; ".join(
                           _("%(group)s %(pledges)s (%(share)s of pledges)") % {
                               "group": group.plural, "pledges": formatting.number(group.pledges),
                               "share": formatting.share(group.share_pledges)}
                           for group in key.groups)})
    texts += [money_paragraphs(key)[0], reporting_sentence(statuses)]
    return [Paragraph(text, sources=cited) for text in texts]


def _growth_chart(board: Dashboard, *, demo: bool) -> Chart:
    by_year: dict[int, tuple[int, int, Decimal]] = {}
    for month in board.months:
        published = by_year.get(month.month.year, (0, 0, Decimal(0)))[0] + month.published
        by_year[month.month.year] = (published, month.cumulative_pledges, month.cumulative_value_usd)
    table = Table(
        "table-growth", _("Published pledges by year of first publication"),
        (Column("year", _("Year")), Column("published", _("Published that year"), "count"),
         Column("cumulative", _("Published pledges (cumulative)"), "count"),
         Column("value_usd", _("Estimated value (cumulative)"), "usd")),
        tuple((str(year), *values) for year, values in sorted(by_year.items())), sources=_registry(demo),
    )
    return Chart("chart-growth", _("Growth of the registry"), chart_spec(charts.growth_chart(board.months, board.events)),
                 _("Cumulative published pledges by month of publication, with campaigns and events"), table,
                 _registry(demo))


def _map_chart(board: Dashboard, *, demo: bool) -> Chart:
    table = Table(
        "table-countries", _("Countries named by the most pledges"),
        (Column("country", _("Country")), Column("pledges", _("Pledges"), "count"),
         Column("value_usd", _("Estimated value"), "usd")),
        tuple((row.name, row.pledges, row.value_usd) for row in board.countries[:20]), sources=(*_registry(demo), COUNTING),
    )
    return Chart("chart-map", _("Pledges per beneficiary country"),
                 chart_spec(charts.world_map(board.countries, small_islands=set(board.small_islands))),
                 _("World map of published pledges per beneficiary country"), table, (*_registry(demo), COUNTING))


def annual_report(*, as_of: AsOf, params: dict, progress) -> Report:
    """The annual coalition report as of `as_of`, in the active language: executive summary, key
    figures and growth, pledged against delivered, breakdowns, reporting compliance, connectivity
    against the 2030 targets, and an annex of country profiles (every country a published pledge
    names or with an indicator value held on the date). `params` takes nothing. Reads only."""
    board = dashboard_for(as_of)
    tallies = tallies_for(as_of)
    demo = demo_counted(as_of)
    countries = annex_countries(tallies, as_of)
    total = 3
    progress(0, total, _("Key figures"))
    statuses = reporting_statuses_from(tallies)
    key = board.key
    day = as_of.date
    cited = _registry(demo)
    rows = connectivity_as_of(as_of)
    progress(1, total, _("Connectivity against the 2030 targets"))

    breakdown_sections = tuple(
        Section(f"breakdown-{slug}", str(board.breakdown(slug).title), (
            *((Paragraph(str(board.breakdown(slug).note), sources=(COUNTING,)),) if board.breakdown(slug).note else ()),
            breakdown_chart(board.breakdown(slug), demo=demo),
        ))
        for slug in BREAKDOWNS
    )
    sections = (
        Section("summary", _("Executive summary"), tuple(summary_paragraphs(board, statuses, demo=demo))),
        Section("key-figures", _("Key figures"), (
            key_figures(board, demo=demo), _growth_chart(board, demo=demo),
            _map_chart(board, demo=demo),
        )),
        Section("money", _("Pledged and delivered"), (
            money_figures(key, demo=demo), value_parts_table(key, demo=demo),
            *(Paragraph(text, sources=cited) for text in money_paragraphs(key)),
        )),
        Section("breakdowns", _("What is pledged, by whom and for whom"), (), (
            *breakdown_sections,
            Section("special-groups", _("Least developed countries, landlocked developing countries and small island "
                                        "developing States"), (group_figures(key, demo=demo), group_table(key, demo=demo))),
        )),
        Section("reporting", _("Reporting compliance"), (
            reporting_figures(statuses, day=day, demo=demo), Paragraph(reporting_sentence(statuses), sources=(*cited, REPORTING_RULE)),
        )),
        Section("connectivity", _("Connectivity against the 2030 targets"), (
            Paragraph(_("Where the world and the least developed countries, landlocked developing countries and small "
                        "island developing States stand on the universal and meaningful connectivity targets for "
                        "2030, from the values the platform held on %(date)s.") % {"date": day_text(day)}),
            connectivity_figures(rows, as_of=as_of),
            *(Paragraph(text) for text in connectivity_sentences(rows)),
            connectivity_table(rows, as_of=as_of),
        )),
    )
    annexes = ()
    progress(2, total, ngettext("The profile of %(count)s country", "The profiles of %(count)s countries", len(countries))
             % {"count": formatting.number(len(countries))})
    if countries:
        annexes = (Section("country-profiles", _("Annex: country profiles"), (
            Paragraph(ngettext("One profile for the country a published pledge names or with an indicator value on %(date)s.",
                               "One profile for each of the %(count)s countries a published pledge names or with an "
                               "indicator value on %(date)s.", len(countries))
                      % {"count": formatting.number(len(countries)), "date": day_text(day)}),
        ), annex_sections(countries, as_of=as_of)),)
    progress(total, total, _("Done"))
    return Report(
        kind="annual", title=_("Annual coalition report"),
        language=report_language(), as_of=day,
        subtitle=_("Pledges, their delivery and connectivity against the 2030 targets"),
        sections=sections, annexes=annexes,
        sources=tuple(registry_sources(as_of, demo=demo) + [reporting_source()] + connectivity_sources(rows)),
        is_demo=demo,
    )


def report_language() -> str:
    """The language the report is being written in (the builder runs inside `translation.override`)."""
    return (get_language() or "en").split("-")[0]

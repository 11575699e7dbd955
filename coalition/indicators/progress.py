"""Progress toward the 2030 targets: how fast a country moves against how fast it must.

The method of Open SDG and Statistics Canada's SDG progress assessment:

- base: the value in the base year (2015 by default), else the first observed year after it;
  latest: the most recent observed value;
- actual growth: compound annual growth rate from base to latest,
  (latest / base) ** (1 / (latest year − base year)) − 1;
- needed growth: the rate that would take the base value to the target by the target year,
  (target / base) ** (1 / (target year − base year)) − 1;
- ratio = actual / needed, and the label: target achieved (latest already at or past the
  target in the indicator's direction); ratio ≥ 0.95 on track; 0.6–0.95 acceleration needed;
  0–0.6 limited progress; < 0 deterioration;
- projected value in the target year: latest × (1 + actual) ** (target year − latest year).

Edge cases: a zero base or a zero target has no growth rate, so both rates become average
annual changes in the indicator's units (linear method); fewer than two observations since the
base year is "insufficient data"; a target met in the base year but missed since is
deterioration; for a lower-is-better indicator both rates are negative when moving the right
way, so the same ratio and thresholds apply. Percentages are projected within 0–100.
docs/indicators-methods.md has the formulas and a worked example.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from coalition.indicators.models import Indicator, Target
from coalition.indicators.selectors import Observed, observations

ACHIEVED, ON_TRACK, ACCELERATION, LIMITED, DETERIORATION, INSUFFICIENT = (
    "achieved", "on_track", "acceleration", "limited", "deterioration", "insufficient",
)
LABELS = {
    ACHIEVED: _("Target achieved"),
    ON_TRACK: _("On track"),
    ACCELERATION: _("Acceleration needed"),
    LIMITED: _("Limited progress"),
    DETERIORATION: _("Deterioration"),
    INSUFFICIENT: _("Insufficient data"),
}
ON_TRACK_RATIO = 0.95
ACCELERATION_RATIO = 0.60
CAGR, LINEAR = "cagr", "linear"


@dataclass(frozen=True)
class Progress:
    label: str
    target: float
    target_year: int
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    growth_actual: float | None = None
    growth_needed: float | None = None
    ratio: float | None = None
    projected: float | None = None
    method: str | None = None

    @property
    def label_text(self) -> str:
        return str(LABELS[self.label])


def _met(value: float, target: float, decreasing: bool) -> bool:
    return value <= target if decreasing else value >= target


def progress_of(
    *, values: dict[int, float], target: float, direction: str, base_year: int = 2015,
    target_year: int = 2030, percent: bool = False,
) -> Progress:
    """Assess one series (year → value) against `target` by `target_year`; see the module docstring."""
    decreasing = direction == Indicator.Direction.DECREASE
    common = {"target": target, "target_year": target_year}
    if not values:
        return Progress(INSUFFICIENT, **common)
    latest_year = max(values)
    latest = values[latest_year]
    since = sorted(year for year in values if year >= base_year)
    base = since[0] if since else None
    known = {"latest_year": latest_year, "latest_value": latest}
    if base is not None:
        known.update(base_year=base, base_value=values[base])
    if _met(latest, target, decreasing):
        return Progress(ACHIEVED, **common, **known, projected=latest)
    if base is None or base == latest_year:
        return Progress(INSUFFICIENT, **common, **known)
    start = values[base]
    if _met(start, target, decreasing):
        return Progress(DETERIORATION, **common, **known)
    elapsed, horizon, remaining = latest_year - base, target_year - base, max(target_year - latest_year, 0)
    if start > 0 and target > 0 and latest > 0:
        actual = (latest / start) ** (1 / elapsed) - 1
        needed = (target / start) ** (1 / horizon) - 1
        projected = latest * (1 + actual) ** remaining
        method = CAGR
    else:
        actual = (latest - start) / elapsed
        needed = (target - start) / horizon
        projected = latest + actual * remaining
        method = LINEAR
    ratio = actual / needed
    if ratio >= ON_TRACK_RATIO:
        label = ON_TRACK
    elif ratio >= ACCELERATION_RATIO:
        label = ACCELERATION
    elif ratio >= 0:
        label = LIMITED
    else:
        label = DETERIORATION
    projected = max(projected, 0.0)
    if percent:
        projected = min(projected, 100.0)
    return Progress(
        label, **common, **known, growth_actual=actual, growth_needed=needed, ratio=ratio,
        projected=projected, method=method,
    )


@dataclass(frozen=True)
class ProgressRow:
    indicator: Indicator
    target: Target
    source: str | None  # the code of the source whose values were assessed
    progress: Progress
    observed: list[Observed]  # those values, oldest first, with their editions

    @property
    def values(self) -> dict[int, float]:
        return {row.year: row.value for row in self.observed}


def country_progress(
    *, country, base_year: int = 2015, target_year: int = 2030, as_of: datetime.datetime | None = None,
) -> list[ProgressRow]:
    """Progress of `country` on every indicator with a target for `target_year`, from each
    indicator's preferred source (or the source holding the country's values when it names
    none); with `as_of`, from the values held at that moment. Two or three queries.
    """
    return countries_progress(countries=[country], base_year=base_year, target_year=target_year, as_of=as_of)[country.pk]


def countries_progress(
    *, countries, base_year: int = 2015, target_year: int = 2030, as_of: datetime.datetime | None = None,
) -> dict[int, list[ProgressRow]]:
    """`country_progress` of many countries at once, by country id: the same two or three
    queries whatever their number (the annual report's annex of two hundred country profiles)."""
    targets = list(
        Target.objects.filter(year=target_year).select_related("indicator__preferred_source")
        .order_by("indicator__order")
    )
    ids = [country.pk for country in countries]
    observed: dict[int, dict[tuple[int, str], list[Observed]]] = {pk: {} for pk in ids}
    for row in observations(indicator_ids=[t.indicator_id for t in targets], country_ids=ids, as_of=as_of):
        observed[row.country_id].setdefault((row.indicator_id, row.source_code), []).append(row)
    return {pk: _progress_rows(targets, observed[pk], base_year=base_year, target_year=target_year) for pk in ids}


def _progress_rows(targets: list[Target], observed: dict[tuple[int, str], list[Observed]], *, base_year: int,
                   target_year: int) -> list[ProgressRow]:
    rows = []
    for target in targets:
        indicator = target.indicator
        source = indicator.preferred_source.code if indicator.preferred_source else None
        if (indicator.id, source) not in observed:
            candidates = [key for key in observed if key[0] == indicator.id]
            source = max(candidates, key=lambda key: len(observed[key]))[1] if candidates else source
        found = observed.get((indicator.id, source), [])
        rows.append(ProgressRow(
            indicator=indicator, target=target, source=source, observed=found,
            progress=progress_of(
                values={row.year: row.value for row in found}, target=target.value, direction=indicator.direction, base_year=base_year,
                target_year=target_year, percent=indicator.unit == Indicator.Unit.PERCENT,
            ),
        ))
    return rows

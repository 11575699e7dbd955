"""What a country did under the action plans, as of a date, for its "Action plan" tab: read from
the action plan's and the good-practice library's selectors, which count only what was published
then."""

from coalition.actionplan.selectors.activities import (
    country_activities,
    country_measures,
    country_participations,
    participation_stats,
)
from coalition.common.asof import AsOf
from coalition.knowledge.selectors.related import practices_of_country
from coalition.reference.models import Country


def country_plan_work(*, country: Country, as_of: AsOf) -> dict:
    """The tab's context: `stats` (the country's participants by sex, over how many activities),
    `participations` (each published participation with its activity), `activities` (those for
    the country, hosted there or with its participation), `measures` and `practices`."""
    return {
        "stats": participation_stats(as_of=as_of, country=country),
        "participations": list(country_participations(country=country, as_of=as_of)
                               .select_related("activity").order_by("-activity__start_date", "-activity_id")),
        "activities": list(country_activities(country=country, as_of=as_of).order_by("-start_date", "-id")),
        "measures": list(country_measures(country=country, as_of=as_of)),
        "practices": practices_of_country(country, as_of),
    }

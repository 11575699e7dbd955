"""Each day's tallies of the registry, kept so that pages read them instead of counting again
(`daily.py`)."""

from django.db import models


class TalliedDay(models.Model):
    """A day whose tallies are stored for one place (the whole registry, a country, a group, an
    entity): complete, and true of the registry at `moment`.

    A past day is counted at its end; today at the moment it was counted. Any version written on
    or before a stored day (and any change to group memberships) deletes that day's tallies, so
    a stored day is never stale: it is either right or absent."""

    day = models.DateField()
    place = models.CharField(
        max_length=60, blank=True, help_text="Empty for the whole registry; country:ISO3, group:CODE or entity:ID."
    )
    moment = models.DateTimeField(help_text="The moment the tallies describe.")
    counted_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long counting took.")
    changes = models.JSONField(
        default=list, blank=True,
        help_text="The changes of reporting status the days alone will bring after this day, as [kind, code, "
                  "pledges, value] rows (`tallies.standing_advance`): what counting a later day from this one needs.",
    )

    class Meta:
        ordering = ["day", "place"]
        constraints = [models.UniqueConstraint(fields=["day", "place"], name="one_count_per_day_and_place")]

    def __str__(self) -> str:
        return f"Tallies of {self.day.isoformat()} {self.place or 'registry'}"


class DailyTally(models.Model):
    """One tally (`tallies.Tally`) of one stored day: the pledges of a category and their value."""

    day = models.ForeignKey(TalliedDay, on_delete=models.CASCADE, related_name="tallies")
    kind = models.CharField(max_length=40)
    code = models.CharField(max_length=120)
    pledges = models.PositiveIntegerField()
    value_usd = models.DecimalField(max_digits=28, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "code"], name="one_tally_per_day_kind_code")]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}: {self.pledges} pledges, {self.value_usd} USD"

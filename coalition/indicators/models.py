"""Connectivity indicators: the catalogue, where values come from, the values, and 2030 targets.

An indicator (e.g. individuals using the Internet) can be published by several sources (the
World Bank's WDI, ITU's DataHub), each under its own series code, and each source publishes
editions (vintages) that revise earlier values. So a value is keyed by indicator, country,
year *and source*; it remembers the edition that gave it, and when a later edition of the same
source changes it, the value it replaces is kept as an `ObservationRevision`, so a figure quoted
last year can still be rebuilt. Each indicator names its preferred source, used by aggregates,
profiles and the gap view unless a caller asks for another.
"""

from django.db import models
from django.db.models import Q

from coalition.common.i18n import TranslatedNameMixin, pick


class DataSource(models.Model):
    """A publisher of indicator values: the World Bank WDI, ITU DataHub, a national office..."""

    code = models.SlugField(max_length=40, unique=True, help_text="For example wb-wdi, itu-datahub")
    name = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    citation = models.CharField(max_length=500, blank=True, help_text="How to cite it when quoting a figure")
    licence = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(TranslatedNameMixin, models.Model):
    """A connectivity indicator in the catalogue, with its unit and desirable direction."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "% (0–100)"
        PER_100 = "per_100", "per 100 inhabitants"
        PERSONS = "persons", "persons"
        USD = "usd", "US dollars"
        RATIO = "ratio", "ratio (1 = parity)"
        NUMBER = "number", "number"

    class Direction(models.TextChoices):
        INCREASE = "increase", "Higher is better"
        DECREASE = "decrease", "Lower is better"
        NONE = "none", "Neither (context)"

    class Aggregation(models.TextChoices):
        # ITU publishes regional and world figures of its ICT price baskets as simple averages
        # of the economies with a price, not weighted by population.
        WEIGHTED = "weighted", "Population-weighted mean"
        SIMPLE = "simple", "Simple mean of the countries with a value"

    code = models.SlugField(max_length=60, unique=True, help_text="The platform's own code, e.g. internet-use")
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    short_name_en = models.CharField(max_length=60, blank=True, help_text="For table headers and charts")
    short_name_fr = models.CharField(max_length=60, blank=True)
    definition_en = models.TextField(blank=True)
    definition_fr = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    decimals = models.PositiveSmallIntegerField(default=1, help_text="Decimals shown")
    aggregation = models.CharField(
        max_length=10, choices=Aggregation.choices, default=Aggregation.WEIGHTED,
        help_text="How group and world figures combine the countries' values (population is always summed)",
    )
    preferred_source = models.ForeignKey(
        DataSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Whose values aggregates, profiles and the gap view use by default",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    @property
    def short_name(self) -> str:
        return pick(self, "short_name") or self.name

    @property
    def definition(self) -> str:
        return pick(self, "definition")


class Series(models.Model):
    """A source's own code for an indicator (IT.NET.USER.ZS at the World Bank, i99H at ITU).

    Readers map the series codes they find in a file to indicators through this table; a file
    naming a series it does not list is refused row by row.
    """

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="series")
    code = models.CharField(max_length=60, help_text="The source's own series code")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["source", "code"]
        verbose_name_plural = "series"
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="series_code_unique_per_source")]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.code} → {self.indicator.code}"


class Edition(models.Model):
    """One vintage of a source (e.g. WDI 2024-11): which import brought it and when."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="editions")
    label = models.CharField(max_length=60, help_text="For example 2024-11 or 'Facts and Figures 2025'")
    released = models.DateField(null=True, blank=True, help_text="Publication date, when known")
    first_imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "-first_imported_at"]
        constraints = [models.UniqueConstraint(fields=["source", "label"], name="edition_label_unique_per_source")]

    def __str__(self) -> str:
        return f"{self.source.code} {self.label}"


class Observation(models.Model):
    """The current value of one indicator for one country, year and source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    country = models.ForeignKey("reference.Country", on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="observations")
    value = models.FloatField()
    is_estimate = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="The source's note on this value")
    origin = models.CharField(max_length=300, blank=True, help_text="Who reported it to the source, when given")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="observations",
                                help_text="The edition that gave the current value")
    import_run = models.ForeignKey("reference.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["indicator", "country", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "country", "year", "source"], name="one_value_per_indicator_country_year_source"),
        ]
        indexes = [models.Index(fields=["indicator", "source", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.country_id} {self.year} = {self.value} ({self.source_id})"


class ObservationRevision(models.Model):
    """A value that a later edition of the same source replaced, kept so old figures stay reproducible."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey("reference.Country", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField()
    is_estimate = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    origin = models.CharField(max_length=300, blank=True)
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+", help_text="The edition that had given this value")
    replaced_by = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+", help_text="The edition that revised it")
    replaced_at = models.DateTimeField()
    import_run = models.ForeignKey("reference.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["indicator", "country", "year", "replaced_at"]
        indexes = [models.Index(fields=["indicator", "country", "year", "source"])]


class StagedObservation(models.Model):
    """Rows of one import waiting, inside the import's transaction, to be merged in one set-based step.

    Never holds anything outside a running import: the runner empties it before committing.
    """

    import_run = models.ForeignKey("reference.ImportRun", on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()
    indicator_id = models.BigIntegerField()
    country_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    is_estimate = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    origin = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["import_run", "indicator_id", "country_id", "year"])]


class Target(models.Model):
    """A 2030 target for an indicator (the ITU/UN universal and meaningful connectivity targets).

    `value` is reached when the indicator is at or above it (higher is better) or at or below
    it (lower is better), following the indicator's direction.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(default=2030)
    value = models.FloatField()
    source = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    note_en = models.TextField(blank=True)
    note_fr = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator__order", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_indicator_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="target_year_plausible"),
        ]

    @property
    def note(self) -> str:
        return pick(self, "note")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.value} by {self.year}"

"""Reference data: countries, dated country groups, SDGs, WSIS lines, money and frameworks.

Everything a figure is cut by lives here, and everything that changes over time carries
its dates: group memberships have valid-from/valid-to, exchange rates are per year.
"""

import datetime

from django.db import models
from django.db.models import Q

from coalition.common.i18n import TranslatedNameMixin, pick


class Country(TranslatedNameMixin, models.Model):
    """A country or territory with an ISO 3166-1 code (from pycountry)."""

    iso3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO alpha-2", max_length=2, unique=True)
    numeric = models.CharField(
        "ISO numeric", max_length=3, unique=True, help_text="Zero-padded; joins the world map."
    )
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    official_name_en = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "countries"


class CountryGroupQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)


class CountryGroup(TranslatedNameMixin, models.Model):
    """A named set of countries whose membership is dated (LDC, ITU region, income group...)."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", "Development status (LDC, LLDC, SIDS)"
        ITU_REGION = "itu_region", "ITU-D region"
        UN_REGION = "un_region", "UN M49 region"
        UN_SUBREGION = "un_subregion", "UN M49 sub-region"
        ESCAP_MEMBERSHIP = "escap_membership", "ESCAP membership"
        ESCAP_SUBREGION = "escap_subregion", "ESCAP subregion"
        INCOME_GROUP = "income_group", "World Bank income group"

    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    countries = models.ManyToManyField(
        Country, through="CountryGroupMembership", related_name="country_groups"
    )

    objects = CountryGroupQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order", "code"]


class MembershipQuerySet(models.QuerySet):
    def as_of(self, date: datetime.date):
        """Memberships in force on `date` (valid_from inclusive, valid_to exclusive)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=date),
            Q(valid_to__isnull=True) | Q(valid_to__gt=date),
        )


class CountryGroupMembership(models.Model):
    """A country's membership of a group between two dates (open-ended when blank)."""

    group = models.ForeignKey(CountryGroup, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="memberships")
    valid_from = models.DateField(null=True, blank=True, help_text="Blank: since before our records.")
    valid_to = models.DateField(
        null=True, blank=True, help_text="First day the country is no longer a member; blank: still is."
    )
    source = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "country__name_en", "valid_from"]
        indexes = [models.Index(fields=["group", "country"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} in {self.group.code} [{self.valid_from or '…'}, {self.valid_to or '…'})"


class SdgGoal(models.Model):
    """A goal: its short name ships with Coalition; the official title comes from the UN
    (`coalition data fetch`) or a data folder, and is blank until then."""

    number = models.PositiveSmallIntegerField(unique=True)
    title_en = models.TextField(blank=True, help_text="The official title (UN SDG API or a data folder)")
    title_fr = models.TextField(blank=True)
    short_en = models.CharField(max_length=120)
    short_fr = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "SDG goal"

    @property
    def short(self) -> str:
        return pick(self, "short")

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.short}"


class SdgTarget(models.Model):
    """A target: code and short title ship with Coalition (written for it, in both languages);
    the official text comes from the UN (`coalition data fetch`) or a data folder."""

    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(max_length=8, unique=True, help_text="For example 9.c")
    short_en = models.CharField(max_length=120, help_text="Short title written for Coalition")
    short_fr = models.CharField(max_length=120, blank=True)
    title_en = models.TextField(blank=True, help_text="The official text (UN SDG API or a data folder)")
    title_fr = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["goal__number", "order"]
        verbose_name = "SDG target"

    @property
    def short(self) -> str:
        return pick(self, "short") or self.title[:80]

    @property
    def title(self) -> str:
        return pick(self, "title")

    def __str__(self) -> str:
        return f"{self.code} {self.short}"


class WsisActionLine(models.Model):
    code = models.CharField(max_length=8, unique=True, help_text="C1…C11, C7.1…C7.8")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_lines"
    )
    title_en = models.CharField(max_length=300)
    title_fr = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = "WSIS action line"

    @property
    def title(self) -> str:
        return pick(self, "title")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class BeneficiaryGroup(TranslatedNameMixin, models.Model):
    """A population group a pledge names as beneficiary (women, youth, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]


class Currency(models.Model):
    """An ISO 4217 currency."""

    code = models.CharField(max_length=3, unique=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return f"{self.code} – {pick(self, 'name')}"


class ExchangeRate(models.Model):
    """Annual average rate: how many US dollars one unit of the currency bought that year.

    A year not over yet has a provisional rate (the average of its daily rates so far), which
    the first load after the year closes replaces with the final average.
    """

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    year = models.PositiveSmallIntegerField()
    usd_per_unit = models.DecimalField(max_digits=24, decimal_places=12)
    source = models.CharField(max_length=200)
    observations = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of daily rates averaged, when computed from daily data."
    )
    provisional = models.BooleanField(
        default=False, db_default=False,  # raw writers (bulk loads, restores) may leave it out
        help_text="The year is not over: a year-to-date average, replaced by the final one when the year closes.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "year"], name="one_rate_per_currency_year")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency.code} = {self.usd_per_unit} USD ({self.year})"


class Initiative(TranslatedNameMixin, models.Model):
    """A coalition or plan hosted on the platform, with its own framework tree."""

    class Kind(models.TextChoices):
        COALITION = "coalition", "Coalition"
        ACTION_PLAN = "action_plan", "Action plan"

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    short_name = models.CharField(max_length=30)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    host = models.CharField(max_length=200, blank=True, help_text="Secretariat, e.g. ITU BDT")
    mandate = models.CharField(max_length=300, blank=True, help_text="The resolution it implements")
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name_en"]

    @property
    def description(self) -> str:
        return pick(self, "description")


class FrameworkNode(TranslatedNameMixin, models.Model):
    """A node of an initiative's framework: focus area → pillar, or pillar → action."""

    class Level(models.TextChoices):
        FOCUS_AREA = "focus_area", "Focus area"
        PILLAR = "pillar", "Pillar"
        ACTION = "action", "Action"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=20)
    level = models.CharField(max_length=20, choices=Level.choices)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["initiative", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="framework_code_unique_per_initiative")
        ]

    def __str__(self) -> str:
        return f"{self.initiative.short_name} {self.code} {self.name}"


class ImportRun(models.Model):
    """One import of a data file or source: who ran it, from where, and how it went.

    Imports are all-or-nothing: a run that failed wrote nothing but this record and its errors.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=60, db_index=True, help_text="What was imported, e.g. itu_regions")
    source = models.CharField(max_length=500, help_text="File path or URL read")
    edition = models.CharField(
        max_length=60, blank=True,
        help_text="The source's edition the file was imported as (indicator files); kept when the run failed",
    )
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(
        default=0, help_text="Rows removed because a project-authored table no longer lists them"
    )
    skipped = models.PositiveIntegerField(default=0, help_text="Records deliberately not imported; see warnings")
    warnings = models.JSONField(
        default=list, blank=True, help_text="[{row, column, message}] for each skipped record"
    )
    errors = models.JSONField(
        default=list, blank=True, help_text="[{row, column, message}], row numbers as in the file"
    )
    written = models.JSONField(
        default=list, blank=True,
        help_text="What a succeeded run wrote, for its result page (offline reports: [{report, created}])",
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task running the import, when it runs in one"
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Last sign of life of the process running the import; a running import silent for longer "
                  "than COALITION_IMPORT_STALE_AFTER_SECONDS has lost its worker and is marked failed",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.source}: {self.status}"

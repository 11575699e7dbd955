"""The registry: campaigns, pledges with targets and partners, revisions of published pledges,
and the search documents pledges are found by.

Pledges, their targets and partners, and revisions keep a full history (django-simple-history):
every save writes a dated version with who made it, so the registry can be rebuilt as of any date.
Workflow objects are changed only through `services`.
"""


from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.common.i18n import TranslatedNameMixin
from coalition.common.intervals import VersionInterval
from coalition.entities.models import Entity
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    Currency,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)


class Status(models.TextChoices):
    """The states of a pledge; `workflow.PLEDGE_WORKFLOW` moves it between them."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    START_REVIEW = "start_review", _("Start review")
    PUBLISH = "publish", _("Approve and publish")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")


class RevisionStatus(models.TextChoices):
    """The states of a revision of a published pledge; `workflow.REVISION_WORKFLOW` moves it."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the change for review")
    PUBLISH = "publish", _("Approve and publish the change")
    REQUEST_CHANGES = "request_changes", _("Request changes to the revision")
    REJECT = "reject", _("Reject the change")
    WITHDRAW = "withdraw", _("Withdraw the change")


# A pledge has at most one revision in these states (a database constraint holds it).
OPEN_REVISION_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED})


class Campaign(TranslatedNameMixin, models.Model):
    """A campaign or event at which pledges are announced (e.g. WTDC-22, the LDC5 pledge drive),
    with its goal in pledges and/or US dollars (either, both or neither).

    Written only through `services.campaigns` (the secretariat's); every change writes a dated
    version, so a campaign page as of a date shows the goal as it stood then."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="campaigns")
    slug = models.SlugField(unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    host = models.CharField(
        _("host event or organiser"), max_length=250, blank=True,
        help_text=_("Where the pledges were announced, e.g. “Fifth UN Conference on the LDCs, Doha”."),
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    goal_pledges = models.PositiveIntegerField(
        _("goal (pledges)"), null=True, blank=True, help_text=_("How many pledges the campaign aims to gather."),
    )
    goal_usd = models.DecimalField(
        _("goal (US$)"), max_digits=20, decimal_places=2, null=True, blank=True,
        help_text=_("The estimated value, in US dollars, the campaign aims to gather."),
    )

    history = HistoricalRecords(bases=[VersionInterval])

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(goal_pledges__isnull=True) | Q(goal_pledges__gt=0),
                                   name="campaign_goal_pledges_positive"),
            models.CheckConstraint(condition=Q(goal_usd__isnull=True) | Q(goal_usd__gt=0),
                                   name="campaign_goal_usd_positive"),
        ]

    @property
    def description_shown(self) -> str:
        """The description in the active language (French when written), else the English one."""
        french = (get_language() or "en").startswith("fr")
        return (self.description_fr if french else "") or self.description


# A value stated (amount, currency, year) whose US dollars await an exchange rate.
PENDING_VALUE = Q(value_usd__isnull=True, value_amount__isnull=False)


# A pledge's many-to-many links, all versioned with it.
PLEDGE_LINKS = (
    "framework_nodes",
    "beneficiary_countries",
    "beneficiary_regions",
    "beneficiary_groups",
    "sdg_targets",
    "wsis_lines",
)


# Services write one version per change (one call of `pledge_history.create_historical_record`),
# not one per m2m signal, so the recorder is kept where they can reach it.
pledge_history = HistoricalRecords(m2m_fields=list(PLEDGE_LINKS), excluded_fields=["updated_at"], bases=[VersionInterval])


class Pledge(models.Model):
    """A public commitment by a lead entity, moderated through the workflow in `workflow.py`."""

    class Type(models.TextChoices):
        PROGRAMMATIC = "programmatic", _("Programmatic")
        FINANCIAL = "financial", _("Financial")
        POLICY = "policy", _("Policy")
        ADVOCACY = "advocacy", _("Advocacy")
        IN_KIND = "in_kind", _("In-kind")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("One country")
        MULTI_COUNTRY = "multi_country", _("Several countries")
        REGIONAL = "regional", _("Regional")
        GLOBAL = "global", _("Global")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="pledges")
    lead_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="led_pledges")
    partners = models.ManyToManyField(Entity, through="PledgePartner", related_name="partner_pledges", blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    framework_nodes = models.ManyToManyField(FrameworkNode, related_name="pledges", blank=True)
    pledge_type = models.CharField("type", max_length=20, choices=Type.choices, db_index=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.NATIONAL)
    beneficiary_countries = models.ManyToManyField(Country, related_name="pledges", blank=True)
    beneficiary_regions = models.ManyToManyField(
        CountryGroup, related_name="pledges", blank=True, help_text="For a regional scope."
    )
    beneficiary_groups = models.ManyToManyField(BeneficiaryGroup, related_name="pledges", blank=True)
    sdg_targets = models.ManyToManyField(SdgTarget, related_name="pledges", blank=True, verbose_name="SDG targets")
    wsis_lines = models.ManyToManyField(
        WsisActionLine, related_name="pledges", blank=True, verbose_name="WSIS action lines"
    )
    value_amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    value_currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT)
    value_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year the value is expressed in.")
    value_usd = models.DecimalField(
        "value (USD)", max_digits=20, decimal_places=2, null=True, blank=True, editable=False,
        help_text="Derived from amount, currency and value year; never typed in. Empty while no rate is stored "
                  "for that currency and year (the value awaits a rate).",
    )
    value_usd_provisional = models.BooleanField(
        _("converted at a provisional rate"), default=False, db_default=False, editable=False,
        help_text=_("The value year was not over: converted at the year-to-date average rate, recomputed when the "
                    "year's final rate is loaded."),
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="pledges")
    reporting_reopened_at = models.DateTimeField(
        _("reporting reopened at"), null=True, blank=True, editable=False,
        help_text=_("When the secretariat last reopened the pledge's closed reporting: reports submitted before "
                    "then no longer close it, and its reporting clock restarts (`reporting.services`)."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save of the content; an edit opened at an older number is refused."),
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(default=False, help_text="Generated demo data, not a real pledge.")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_pledges",
        editable=False, help_text="The reviewer in charge of this pledge's review.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = pledge_history

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("review_pledge", "Can review, publish and reject pledges")]
        # The explorer's sorts, each with the id that breaks its ties (keyset pagination walks
        # these), and the columns its facets count by, all within the published pledges. On
        # PostgreSQL migration 0010 adds (status, value_usd DESC NULLS LAST, id DESC), which
        # SQLite cannot declare (its backward scan of the index below gives that order).
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="pledge_status_published_id"),
            models.Index(fields=["status", "value_usd", "id"], name="pledge_status_value_usd_id"),
            models.Index(F("status"), Lower("title"), F("id"), name="pledge_status_title_id"),
            models.Index(fields=["status", "pledge_type"], name="pledge_status_type"),
            models.Index(fields=["status", "initiative"], name="pledge_status_initiative"),
            models.Index(fields=["status", "campaign"], name="pledge_status_campaign"),
            models.Index(fields=["status", "lead_entity"], name="pledge_status_lead_entity"),
            # The few values awaiting an exchange rate, or converted at a provisional one: what a
            # rates load converts and the secretariat's list reads (`services.money`).
            models.Index(fields=["value_currency", "value_year"], condition=PENDING_VALUE, name="pledge_value_pending"),
            models.Index(fields=["value_currency", "value_year"], condition=Q(value_usd_provisional=True),
                         name="pledge_value_provisional"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def value_pending(self) -> bool:
        """The pledge states a value that awaits an exchange rate to be counted in US dollars."""
        return self.value_amount is not None and self.value_usd is None


class PledgeTarget(models.Model):
    """A quantified target of a pledge: 'train 10,000 women by 2026'."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(max_length=300)
    unit = models.CharField(max_length=80, help_text="What is counted: people trained, schools connected, USD…")
    target_value = models.DecimalField(max_digits=20, decimal_places=4)
    baseline_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "order", "id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.target_value} {self.unit})"


class PledgePartner(models.Model):
    """An entity that implements or funds a pledge alongside its lead."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="pledge_partners")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="partnerships")
    role = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords(bases=[VersionInterval])

    class Meta:
        ordering = ["pledge", "entity__name"]
        constraints = [models.UniqueConstraint(fields=["pledge", "entity"], name="partner_once_per_pledge")]

    def __str__(self) -> str:
        return f"{self.entity} on {self.pledge}"


class PledgeTransition(models.Model):
    """One workflow decision: who moved the pledge from which state to which, when and why."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    content = models.JSONField(
        null=True, blank=True, editable=False,
        help_text="On a submission: the pledge's content as submitted, to show reviewers what changed since.",
    )

    class Meta:
        ordering = ["pledge", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Comment(models.Model):
    """A message in a pledge's conversation between its pledgers, the secretariat and the focal
    points of the countries it benefits; about the pledge, or one of its progress reports.
    Private to those people. Written only by `services.comment_post`."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="comments")
    report = models.ForeignKey(
        "reporting.ProgressReport", null=True, blank=True, on_delete=models.CASCADE, related_name="comments",
        help_text="The progress report it is about, if any.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return f"{self.author} on pledge {self.pledge_id}"


class PledgeSearchDocument(models.Model):
    """The text a pledge is found by, folded (casefold, accents stripped) and in both languages.

    Written only by `search.search_index_pledges`. On SQLite an FTS5 table mirrors it (kept in
    step by triggers, see migrations 0006 and 0010); on PostgreSQL a stored, generated column
    `search_vector` (not on the model: the database computes it) holds its tsvector in English
    and French, with a GIN index (migration 0010). No database-level foreign key: the demo's set-based reset deletes pledges with raw
    SQL, and a stale row is harmless (searches join to the pledge) until the next rebuild.
    """

    pledge = models.OneToOneField(
        Pledge, primary_key=True, on_delete=models.CASCADE, db_constraint=False, related_name="search_document"
    )
    document = models.TextField()

    def __str__(self) -> str:
        return f"search document of pledge {self.pledge_id}"


class PledgeSearchFts(models.Model):
    """SQLite only: the FTS5 mirror of `PledgeSearchDocument`, mapped so searches can join it.

    Unmanaged: migration 0006 creates it on SQLite; on PostgreSQL it does not exist and is
    never queried. `rank` is FTS5's hidden bm25 column (lower is better).
    """

    pledge = models.OneToOneField(
        Pledge, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="search_fts",
    )
    document = models.TextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "pledges_search_fts"


class PledgeRevision(models.Model):
    """A proposed new content for a published pledge, numbered 1, 2, … per pledge."""

    pledge = models.ForeignKey("pledges.Pledge", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT, db_index=True,
        editable=False,
    )
    data = models.JSONField(_("proposed content"), default=dict, editable=False)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save of the content; an edit opened at an older number is refused."),
    )
    reason = models.TextField(_("reason for the change"), help_text=_("Shown to the reviewers."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pledge", "number"]
        verbose_name = _("pledge revision")
        verbose_name_plural = _("pledge revisions")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="revision_number_once_per_pledge"),
            models.UniqueConstraint(
                fields=["pledge"], condition=Q(status__in=sorted(OPEN_REVISION_STATES)),
                name="one_open_revision_per_pledge",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.pledge}"


class RevisionTransition(models.Model):
    """One decision on a revision: who moved it from which state to which, when and why."""

    revision = models.ForeignKey(PledgeRevision, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    from_status = models.CharField(max_length=20, choices=RevisionStatus.choices)
    to_status = models.CharField(max_length=20, choices=RevisionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

"""The intergovernmental side: action plans (plan → pillar → action → deliverable), the activities
done under them and who took part, the national measures member states report, and the meetings
where the plan is steered.

Plans, pillars, actions and deliverables keep dated versions (django-simple-history with
validity intervals), so their progress reads as of any date, as the registry does. Activities,
participations and national measures are moderated on the one transition engine (`workflow.py`)
and change only through `services`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.common.i18n import TranslatedNameMixin, pick
from coalition.common.intervals import VersionInterval
from coalition.entities.models import Entity
from coalition.reference.models import Country, FrameworkNode, Initiative

WEIGHT = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Plan(TranslatedNameMixin, models.Model):
    """An action plan of an initiative for a span of years, endorsed by an intergovernmental body.

    Plans follow each other (`previous`): the next plan's actions may continue this one's."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=60)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    endorsed_by = models.CharField(_("endorsed by"), max_length=300, blank=True)
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True)
    endorsement_document = models.CharField(
        _("endorsing document"), max_length=300, blank=True, help_text=_("Its symbol or title, e.g. ESCAP/CICTSTI/2022/6."),
    )
    endorsement_url = models.URLField(_("link to the endorsing document"), max_length=500, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_plans",
        verbose_name=_("previous plan"),
    )
    source = models.CharField(_("source"), max_length=500, blank=True, help_text=_("Where the structure comes from."))

    history = HistoricalRecords(bases=[VersionInterval])

    class Meta:
        ordering = ["initiative", "start_year"]
        verbose_name = _("action plan")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_years_in_order"),
        ]

    @property
    def description(self) -> str:
        return pick(self, "description")

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class Pillar(TranslatedNameMixin, models.Model):
    """A pillar of a plan, followed by a working group; its weight counts in the plan's progress."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("code"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    working_group_en = models.CharField(_("working group (English)"), max_length=300, blank=True)
    working_group_fr = models.CharField(_("working group (French)"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), default=1, **WEIGHT)
    order = models.PositiveSmallIntegerField(default=0)
    framework_node = models.ForeignKey(
        FrameworkNode, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_pillars",
        help_text=_("The initiative's framework node pledges are tagged with for this pillar."),
    )

    history = HistoricalRecords(bases=[VersionInterval])

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("pillar")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="pillar_code_once_per_plan")]

    @property
    def description(self) -> str:
        return pick(self, "description")

    @property
    def working_group(self) -> str:
        return pick(self, "working_group")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


# Services write one version per change of an action, its links included (one call of
# `action_history.create_historical_record`), as pledges do: not one per save and per link.
action_history = HistoricalRecords(m2m_fields=["partners", "countries"], bases=[VersionInterval])


class Action(models.Model):
    """An action of a plan's pillar: who leads it, who takes part, its timeline and deliverables.

    Its progress is not typed: it rolls up from its deliverables (`progress`). `continues` is the
    action of the previous plan it carries on; `illustrative` marks text written for a demo, which
    the pages never present as an official action."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=20)
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    lead = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="led_actions", verbose_name=_("lead"),
    )
    partners = models.ManyToManyField(Entity, related_name="partner_actions", blank=True, verbose_name=_("partners"))
    countries = models.ManyToManyField(
        Country, related_name="plan_actions", blank=True, verbose_name=_("member states taking part"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    weight = models.DecimalField(_("weight"), default=1, **WEIGHT)
    order = models.PositiveSmallIntegerField(default=0)
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="continuations",
        verbose_name=_("continues"), help_text=_("The action of the previous plan this one carries on."),
    )
    illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Text written to show the platform, not the wording of an official action."),
    )

    history = action_history

    class Meta:
        ordering = ["plan", "pillar__order", "order", "code"]
        verbose_name = _("action")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_code_once_per_plan"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="action_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick(self, "title")

    @property
    def description(self) -> str:
        return pick(self, "description")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    DROPPED = "dropped", _("Dropped")


class Deliverable(models.Model):
    """Something an action promises by a date. Its progress (0–100 %) and weight are what the
    action's, pillar's and plan's progress roll up from; a dropped deliverable no longer counts."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(_("code"), max_length=30)
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    weight = models.DecimalField(_("weight"), default=1, **WEIGHT)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED,
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(bases=[VersionInterval])

    class Meta:
        ordering = ["action", "order", "code"]
        verbose_name = _("deliverable")
        constraints = [
            models.UniqueConstraint(fields=["action", "code"], name="deliverable_code_once_per_action"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="deliverable_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return pick(self, "title")


class WorkingGroupLead(models.Model):
    """A person who leads a pillar's working group: they keep its actions' deliverables up to date
    and record the activities done under them."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="leads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_groups")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    appointed_at = models.DateTimeField()

    class Meta:
        ordering = ["pillar", "user"]
        verbose_name = _("working-group lead")
        constraints = [models.UniqueConstraint(fields=["pillar", "user"], name="working_group_lead_once")]

    def __str__(self) -> str:
        return f"{self.user} leads {self.pillar}"


# --- What is moderated: activities, participations, national measures ---------------------------


class ReviewStatus(models.TextChoices):
    """The states of an activity, a participation, a national measure or a good practice."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Approve and publish")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")


class Reviewed(models.Model):
    """What every moderated object carries: its state, its edit version and who did what when."""

    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True,
        editable=False,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, help_text="Generated demo data.")

    class Meta:
        abstract = True


class Transitioned(models.Model):
    """One workflow decision on a moderated object (the engine's log; `subject` is its object)."""

    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    ADVISORY_MISSION = "advisory_mission", _("Advisory mission")
    STUDY = "study", _("Study")
    EXPERT_MEETING = "expert_meeting", _("Expert meeting")
    POLICY_DIALOGUE = "policy_dialogue", _("Policy dialogue")


class Activity(Reviewed):
    """Something the secretariat or a working group did under a plan: a training, a workshop, a
    study... Participants are counted per country (`Participation`), so shares of LDCs, LLDCs and
    SIDS are derived, never typed."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Blank for a one-day activity."))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("City, or blank when online only."))
    host_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_activities",
        verbose_name=_("host country"),
    )
    online = models.BooleanField(_("online"), default=False)
    organisers = models.ManyToManyField(
        Entity, related_name="organised_activities", blank=True, verbose_name=_("organisers"),
    )
    partners = models.ManyToManyField(Entity, related_name="partner_activities", blank=True, verbose_name=_("partners"))
    countries = models.ManyToManyField(
        Country, related_name="plan_activities", blank=True, verbose_name=_("countries"),
        help_text=_("The countries the activity was for."),
    )
    actions = models.ManyToManyField(Action, related_name="activities", blank=True, verbose_name=_("actions"))
    framework_nodes = models.ManyToManyField(
        FrameworkNode, related_name="plan_activities", blank=True, verbose_name=_("framework nodes"),
    )
    outputs = models.TextField(_("outputs"), blank=True, help_text=_("What it produced: reports, toolkits, recommendations."))

    history = HistoricalRecords(
        m2m_fields=["organisers", "partners", "countries", "actions", "framework_nodes"],
        excluded_fields=["updated_at"], bases=[VersionInterval],
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="activity_status_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self):
        return self.end_date or self.start_date


class ActivityDocument(models.Model):
    """A document or link of an activity: its agenda, report, slides or recording."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/", blank=True, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("document")
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="activity_document_has_link_or_file"),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityTransition(Transitioned):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transitioned.Meta):
        pass


class Participation(Reviewed):
    """One country's participants in one activity, counted by sex; recorded by the secretariat or
    by the country's focal points, and moderated."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="plan_participations")
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other = models.PositiveIntegerField(
        _("other or not stated"), default=0, help_text=_("Participants who did not state their sex or stated another."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[VersionInterval])

    class Meta:
        ordering = ["activity", "country__name_en"]
        verbose_name = _("participation")
        constraints = [
            # One live record per country and activity: a rejected or withdrawn one makes room.
            models.UniqueConstraint(
                fields=["activity", "country"], condition=~Q(status__in=["rejected", "withdrawn"]),
                name="participation_once_per_activity_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} at {self.activity}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.other


class ParticipationTransition(Transitioned):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transitioned.Meta):
        pass


class MeasureKind(models.TextChoices):
    POLICY = "policy", _("Policy or strategy")
    LAW = "law", _("Law or regulation")
    PROJECT = "project", _("Project or programme")
    INSTITUTION = "institution", _("Institution or body")
    OTHER = "other", _("Other measure")


class NationalMeasure(Reviewed):
    """A measure a member state took under the plan (a policy adopted, a project launched),
    recorded by its focal points and moderated."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="national_measures")
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    adopted_on = models.DateField(_("adopted or launched on"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    actions = models.ManyToManyField(Action, related_name="national_measures", blank=True, verbose_name=_("actions"))
    framework_nodes = models.ManyToManyField(
        FrameworkNode, related_name="national_measures", blank=True, verbose_name=_("framework nodes"),
    )

    history = HistoricalRecords(m2m_fields=["actions", "framework_nodes"], excluded_fields=["updated_at"],
                                bases=[VersionInterval])

    class Meta:
        ordering = ["country__name_en", "-adopted_on", "-id"]
        verbose_name = _("national measure")

    def __str__(self) -> str:
        return self.title


class NationalMeasureTransition(Transitioned):
    measure = models.ForeignKey(NationalMeasure, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transitioned.Meta):
        pass


# --- Meetings ---------------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee session")
    COMMITTEE = "committee", _("Committee session")
    COMMISSION = "commission", _("Commission session")
    MINISTERIAL = "ministerial", _("Ministerial conference")
    OTHER = "other", _("Other meeting")


class Meeting(TranslatedNameMixin, models.Model):
    """A session of a body that steers a plan, or a conference: its agenda, documents and
    decisions, the countries present, and the campaign under which pledges were announced there.
    Written by the secretariat through `services`."""

    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings", verbose_name=_("plan"),
    )
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    body = models.CharField(_("body"), max_length=300, blank=True, help_text=_("Who meets, e.g. AP-IS Steering Committee."))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    online = models.BooleanField(_("also online"), default=False)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    countries = models.ManyToManyField(
        Country, related_name="meetings", blank=True, verbose_name=_("participating countries"),
    )
    campaign = models.ForeignKey(
        "pledges.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings",
        verbose_name=_("pledging campaign"), help_text=_("The campaign under which pledges were announced there."),
    )
    url = models.URLField(_("official page"), max_length=500, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Agenda and decisions written to show the platform."),
    )

    history = HistoricalRecords(m2m_fields=["countries"], bases=[VersionInterval])

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("meeting")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="meeting_dates_in_order",
            ),
        ]

    @property
    def summary(self) -> str:
        return pick(self, "summary")

    @property
    def last_day(self):
        return self.end_date or self.start_date


class MeetingDocument(models.Model):
    """A document of a meeting: its agenda, a report, a resolution, with its UN symbol."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    symbol = models.CharField(_("symbol"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("meeting document")

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip()

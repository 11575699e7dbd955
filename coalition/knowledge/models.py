"""The good-practice library: case studies shared by member states, pledgers and the secretariat
(ITU resolution 88, invites 2; ESCAP resolution 79/10, 4 b and d), moderated like pledges and
found by the same search as the explorer.

Practices change only through `services`; their text is Markdown, stored as typed and rendered
sanitised.
"""

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.actionplan.models import Action, Reviewed, Transitioned
from coalition.common.intervals import VersionInterval
from coalition.entities.models import Entity
from coalition.reference.models import Country, FrameworkNode, SdgTarget, WsisActionLine


class SharedBy(models.TextChoices):
    MEMBER_STATE = "member_state", _("A member state")
    PLEDGER = "pledger", _("A pledger")
    SECRETARIAT = "secretariat", _("The secretariat")


# The links a practice is tagged with, versioned with it (the library reads them as of a date).
PRACTICE_LINKS = ("countries", "framework_nodes", "sdg_targets", "wsis_lines", "pledges", "actions")

# Services write one version per change (one call of `practice_history.create_historical_record`),
# links included, instead of one per save and per link set.
practice_history = HistoricalRecords(
    m2m_fields=list(PRACTICE_LINKS), excluded_fields=["updated_at"], bases=[VersionInterval],
)


class GoodPractice(Reviewed):
    """A case study: the problem, what was done, the results with figures, the lessons, what it
    cost and whom to contact; tagged like pledges, linked to pledges and actions."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences shown in the library's list."))
    problem = models.TextField(_("the problem"))
    approach = models.TextField(_("what was done"))
    results = models.TextField(_("results"), help_text=_("With figures: people connected, schools online, costs saved."))
    lessons = models.TextField(_("lessons learned"), blank=True)
    cost = models.CharField(_("cost"), max_length=300, blank=True, help_text=_("What it cost, and who paid."))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    shared_by = models.CharField(_("shared by"), max_length=20, choices=SharedBy.choices)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="good_practices",
        verbose_name=_("organisation"), help_text=_("The pledger sharing it."),
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="shared_practices",
        verbose_name=_("member state"), help_text=_("The member state sharing it."),
    )
    countries = models.ManyToManyField(Country, related_name="good_practices", blank=True, verbose_name=_("countries"))
    framework_nodes = models.ManyToManyField(
        FrameworkNode, related_name="good_practices", blank=True, verbose_name=_("framework nodes"),
    )
    sdg_targets = models.ManyToManyField(SdgTarget, related_name="good_practices", blank=True, verbose_name=_("SDG targets"))
    wsis_lines = models.ManyToManyField(
        WsisActionLine, related_name="good_practices", blank=True, verbose_name=_("WSIS action lines"),
    )
    pledges = models.ManyToManyField("pledges.Pledge", related_name="good_practices", blank=True, verbose_name=_("pledges"))
    actions = models.ManyToManyField(Action, related_name="good_practices", blank=True, verbose_name=_("actions"))
    source_report = models.ForeignKey(
        "reporting.ProgressReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="good_practices",
        verbose_name=_("from the progress report"),
    )

    history = practice_history

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("good practice")
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_by="secretariat") | Q(shared_by="pledger", entity__isnull=False)
                | Q(shared_by="member_state", country__isnull=False),
                name="practice_names_who_shares_it",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GoodPracticeTransition(Transitioned):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transitioned.Meta):
        pass


class Attachment(models.Model):
    """A file of a practice (a report, photos, a toolkit), checked by content type and size."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="practices/%Y/%m/", max_length=300)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "id"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        """The file's kind as people name it: "PDF", "DOCX"."""
        return os.path.splitext(self.file.name)[1].lstrip(".").upper()


class PracticeSearchDocument(models.Model):
    """The text a practice is found by, folded and in both languages (see `search`).

    Written only by `search.practice_search_index`. On SQLite an FTS5 table mirrors it (kept in
    step by triggers, migration 0002); on PostgreSQL a stored, generated column `search_vector`
    (not on the model: the database computes it) holds its tsvector in English and French, with
    a GIN index, as for pledges.
    """

    practice = models.OneToOneField(GoodPractice, on_delete=models.CASCADE, primary_key=True, related_name="search")
    document = models.TextField()

    class Meta:
        verbose_name = _("practice search document")


class PracticeSearchFts(models.Model):
    """SQLite only: the FTS5 mirror of `PracticeSearchDocument`, mapped so searches can query it.

    Unmanaged: migration 0002 creates it on SQLite; on PostgreSQL it does not exist and is never
    queried. `rank` is FTS5's hidden bm25 column (lower is better).
    """

    practice = models.OneToOneField(
        GoodPractice, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="search_fts",
    )
    document = models.TextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "knowledge_search_fts"

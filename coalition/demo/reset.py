"""Remove demo data, and only demo data, with set-based deletes."""

from django.db import transaction
from django.db.models import Q

from coalition.actionplan.models import Activity, ActivityDocument, NationalMeasure, Participation
from coalition.common.signals import registry_changed
from coalition.demo.publications import demo_publications_delete
from coalition.demo.rows import M2M_FIELDS, history_model
from coalition.entities.models import Entity, FocalPoint
from coalition.knowledge.models import Attachment, GoodPractice, PracticeSearchDocument
from coalition.pledges.models import Pledge, PledgePartner, PledgeTarget, PledgeTransition
from coalition.reporting.models import Evidence, ProgressReport, ProgressReportTarget, ProgressReportTransition


class DemoDataInUse(Exception):
    """Real records point at demo entities; deleting them would break those records."""


@transaction.atomic
def demo_reset() -> dict[str, int]:
    """Delete every demo pledge and entity with their children and history; return rows deleted per table.

    Side effects: deletes rows of pledges and entities flagged `is_demo`, their targets,
    partners, transitions, progress reports (actuals, evidence, decisions), focal points,
    many-to-many links and all their history rows, and the demo's activities (with every
    participation in them), national measures and good practices (with their attachments), the
    reports built from demo data (published or not, with their outputs), in
    one transaction. Campaigns, the action plans, meetings and user accounts stay. Raises `DemoDataInUse` (and deletes
    nothing) when a real pledge names a demo entity as lead or partner. Uses raw deletes:
    the ORM's cascade would load each object and write a "deleted" history version for it,
    which is neither wanted for demo data nor feasible for a million pledges.
    """
    pledges = Pledge.objects.filter(is_demo=True).values("pk")
    entities = Entity.objects.filter(is_demo=True).values("pk")
    if (
        Pledge.objects.filter(is_demo=False, lead_entity__in=entities).exists()
        or PledgePartner.objects.filter(entity__in=entities).exclude(pledge__in=pledges).exists()
    ):
        raise DemoDataInUse(
            "Real pledges name demo entities as lead or partner; change them before removing demo data."
        )
    deleted = {}

    def delete(queryset):
        deleted[queryset.model._meta.label] = deleted.get(queryset.model._meta.label, 0) + queryset._raw_delete(queryset.db)

    # First what names demo pledges and entities: the reports built from them, and the demo's
    # practices, activities and measures.
    demo_publications_delete(delete)
    practices = GoodPractice.objects.filter(is_demo=True).values("pk")
    delete(Attachment.objects.filter(practice_id__in=practices))
    delete(PracticeSearchDocument.objects.filter(practice_id__in=practices))
    _moderated_delete(delete, GoodPractice, practices)
    activities = Activity.objects.filter(is_demo=True).values("pk")
    _moderated_delete(delete, Participation, Participation.objects.filter(
        Q(is_demo=True) | Q(activity_id__in=activities)).values("pk"))
    delete(ActivityDocument.objects.filter(activity_id__in=activities))
    _moderated_delete(delete, Activity, activities)
    _moderated_delete(delete, NationalMeasure, NationalMeasure.objects.filter(is_demo=True).values("pk"))

    HistoricalPledge = history_model(Pledge)
    demo_versions = HistoricalPledge.objects.filter(is_demo=True).values("history_id")

    for name in M2M_FIELDS:
        delete(getattr(HistoricalPledge, name).model.objects.filter(history_id__in=demo_versions))
        delete(Pledge._meta.get_field(name).remote_field.through.objects.filter(pledge_id__in=pledges))
    reports = ProgressReport.objects.filter(pledge_id__in=pledges).values("pk")
    for model in (ProgressReportTarget, Evidence):
        delete(history_model(model).objects.filter(report_id__in=reports))
        delete(model.objects.filter(report_id__in=reports))
    delete(ProgressReportTransition.objects.filter(report_id__in=reports))
    delete(history_model(ProgressReport).objects.filter(pledge_id__in=pledges))
    delete(ProgressReport.objects.filter(pledge_id__in=pledges))
    for model in (PledgeTarget, PledgePartner):
        delete(history_model(model).objects.filter(pledge_id__in=pledges))
        delete(model.objects.filter(pledge_id__in=pledges))
    delete(PledgeTransition.objects.filter(pledge_id__in=pledges))
    delete(HistoricalPledge.objects.filter(is_demo=True))
    delete(Pledge.objects.filter(is_demo=True))
    delete(history_model(FocalPoint).objects.filter(entity_id__in=entities))
    delete(FocalPoint.objects.filter(entity_id__in=entities))
    delete(history_model(Entity).objects.filter(is_demo=True))
    delete(Entity.objects.filter(is_demo=True))
    registry_changed.send(sender=None, since=None)  # the stored daily tallies no longer hold
    return deleted


def _moderated_delete(delete, model, ids) -> None:
    """Delete the moderated objects `ids` of `model` with their links, decisions and versions."""
    history = history_model(model)
    versions = history.objects.filter(id__in=ids).values("history_id")
    for field in model._meta.many_to_many:
        if hasattr(history, field.name):
            delete(getattr(history, field.name).model.objects.filter(history_id__in=versions))
        delete(field.remote_field.through.objects.filter(**{f"{field.m2m_field_name()}__in": ids}))
    transitions = model._meta.get_field("transitions")
    delete(transitions.related_model.objects.filter(**{f"{transitions.field.name}__in": ids}))
    delete(history.objects.filter(id__in=ids))
    delete(model.objects.filter(pk__in=ids))

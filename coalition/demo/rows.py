"""Turn demo entities and pledge plans into table rows, with their history, and write them in chunks.

The rows are what the services and django-simple-history would have written had each pledge
gone through them: one live row, one version per workflow step (each with its snapshot of
every many-to-many field), one version for each target and partner, one `PledgeTransition`
per step. Primary keys are assigned here, from the current highest key of each table.
"""

import operator

from django.db import models

from coalition.common.bulk import Batch, next_pk, reset_sequences
from coalition.demo.pledges import PledgePlan
from coalition.demo.reports import ReportPlan
from coalition.entities.models import Entity, FocalPoint
from coalition.pledges.models import PLEDGE_LINKS, Pledge, PledgePartner, PledgeTarget, PledgeTransition, Status
from coalition.reporting.models import (
    ProgressReport,
    ProgressReportTarget,
    ProgressReportTransition,
    ReportAction,
    ReportStatus,
)

M2M_FIELDS = list(PLEDGE_LINKS)
HISTORY_USER = None  # demo history is written by nobody in particular


def history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


class Table:
    """One model's rows waiting to be written, in the column order of its `_meta`."""

    def __init__(self, model: type[models.Model], attnames: list[str] | None = None):
        self.model = model
        self.attnames = attnames or [field.attname for field in model._meta.concrete_fields]
        self.to_tuple = operator.itemgetter(*self.attnames)
        self.rows: list[tuple] = []
        self.next_id = next_pk(model)
        self.checked = False
        # A version's end (`common.intervals`) is the next version's start: the versions of an
        # object arrive in order within one batch, so the previous one is closed as the next comes.
        self.valid_to = self.attnames.index("valid_to") if "valid_to" in self.attnames else None
        self.last_version: dict[int, int] = {}  # object id → index of its latest version in `rows`

    def take_id(self) -> int:
        pk, self.next_id = self.next_id, self.next_id + 1
        return pk

    def add(self, values: dict) -> None:
        if self.valid_to is not None:
            values = {"valid_to": None} | values
            previous = self.last_version.get(values["id"])
            if previous is not None:
                row = list(self.rows[previous])
                row[self.valid_to] = values["history_date"]
                self.rows[previous] = tuple(row)
            self.last_version[values["id"]] = len(self.rows)
        if not self.checked:
            missing = [name for name in self.attnames if name not in values]
            if missing:
                raise RuntimeError(
                    f"The demo generator does not fill {self.model._meta.label}.{', '.join(missing)}: "
                    "add it to coalition/pledges/demo."
                )
            self.checked = True
        self.rows.append(self.to_tuple(values))


class M2MTables:
    """The live through table and the historical through table of one many-to-many field."""

    def __init__(self, name: str):
        field = Pledge._meta.get_field(name)
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        historical = getattr(history_model(Pledge), name).model
        # Positional tuples here, not dicts: these are most of the rows of a big run.
        self.live = Table(through, ["id", source, target])
        self.history = Table(historical, ["m2m_history_id", "history_id", "id", source, target])


class RowWriter:
    """Collects rows for a chunk of entities or pledges and writes them in one transaction."""

    def __init__(self):
        self.entity = Table(Entity)
        self.entity_history = Table(history_model(Entity))
        self.focal_point = Table(FocalPoint)
        self.focal_point_history = Table(history_model(FocalPoint))
        self.pledge = Table(Pledge)
        self.pledge_history = Table(history_model(Pledge))
        self.m2m = {name: M2MTables(name) for name in M2M_FIELDS}
        self.target = Table(PledgeTarget)
        self.target_history = Table(history_model(PledgeTarget))
        self.partner = Table(PledgePartner)
        self.partner_history = Table(history_model(PledgePartner))
        self.transition = Table(PledgeTransition)
        self.report = Table(ProgressReport)
        self.report_history = Table(history_model(ProgressReport))
        self.report_target = Table(ProgressReportTarget)
        self.report_target_history = Table(history_model(ProgressReportTarget))
        self.report_transition = Table(ProgressReportTransition)
        # Labels translated once, not once per row (the translation lookup was a tenth of the run).
        self.pledge_reasons = {status: f"demo: {label.lower()}" for status, label in Status.choices}
        self.report_reasons = {status: f"demo: {label.lower()}" for status, label in ReportStatus.choices}

    def tables(self) -> list[Table]:
        return self.record_tables() + self.version_tables()

    def record_tables(self) -> list[Table]:
        """Live rows, and the versions of children whose cleanup depends on them; parents first."""
        return [
            self.entity, self.entity_history, self.focal_point, self.focal_point_history, self.pledge,
            *(pair.live for pair in self.m2m.values()), self.target, self.target_history,
            self.partner, self.partner_history, self.transition, self.report, self.report_history,
            self.report_target, self.report_target_history, self.report_transition,
        ]

    def version_tables(self) -> list[Table]:
        """Pledge versions and their many-to-many snapshots: half the rows, and no enforced
        foreign keys, so they can be written beside the live rows rather than after them."""
        return [self.pledge_history, *(pair.history for pair in self.m2m.values())]

    def add_entity(self, values: dict, focal_point: dict) -> None:
        self.entity.add(values)
        self.entity_history.add(_version(self.entity_history, values, values["created_at"], "+", "demo: created"))
        self.focal_point.add(focal_point)
        self.focal_point_history.add(
            _version(self.focal_point_history, focal_point, values["created_at"], "+", "demo: created")
        )

    def add_pledge(self, plan: PledgePlan) -> list[int]:
        """Rows of one pledge; returns the ids given to its targets, in order."""
        values = plan.values
        pledge_id, created = values["id"], values["created_at"]
        links = {
            name: [(self.m2m[name].live.take_id(), target_id) for target_id in target_ids]
            for name, target_ids in plan.m2m.items()
        }
        # Content written once (version 1); the workflow steps change the status only.
        state = {"status": Status.DRAFT, "submitted_at": None, "published_at": None, "version": 1}
        self._pledge_version(values | state, links, created, "+", "demo: created")
        for step in plan.steps:
            state["status"] = step.to_status
            if step.to_status == Status.SUBMITTED:
                state["submitted_at"] = step.at
            elif step.to_status == Status.PUBLISHED:
                state["published_at"] = step.at
            self._pledge_version(values | state, links, step.at, "~", self.pledge_reasons[step.to_status])
            self.transition.add({
                "id": self.transition.take_id(), "pledge_id": pledge_id, "action": step.action,
                "from_status": step.from_status, "to_status": step.to_status, "actor_id": HISTORY_USER,
                "at": step.at, "comment": step.comment, "content": None,
            })
        updated = plan.steps[-1].at if plan.steps else created
        self.pledge.add(values | state | {"updated_at": updated})
        for name, pairs in links.items():
            live = self.m2m[name].live
            live.rows.extend((through_id, pledge_id, target_id) for through_id, target_id in pairs)
        target_ids = []
        for target in plan.targets:
            row = target | {"id": self.target.take_id(), "pledge_id": pledge_id}
            target_ids.append(row["id"])
            self.target.add(row)
            self.target_history.add(_version(self.target_history, row, created, "+", "demo: created"))
        for entity_id, role in plan.partners:
            row = {"id": self.partner.take_id(), "pledge_id": pledge_id, "entity_id": entity_id, "role": role}
            self.partner.add(row)
            self.partner_history.add(_version(self.partner_history, row, created, "+", "demo: created"))
        return target_ids

    def add_reports(self, reports: list[ReportPlan], target_ids: list[int], reviewer_id: int | None) -> None:
        """A pledge's progress reports as `reporting_services` would have written them: a version at
        creation and at each decision, one `ProgressReportTransition` per decision, the actuals."""
        for plan in reports:
            report_id = self.report.take_id()
            state = {"status": ReportStatus.DRAFT, "verification_level": "", "submitted_at": None, "version": 1,
                     "submitted_by_id": None, "decided_at": None, "decided_by_id": None, "reviewer_comment": "",
                     "assigned_to_id": None}
            values = plan.values | {"id": report_id, "created_by_id": HISTORY_USER, "created_at": plan.created}
            self.report_history.add(_version(self.report_history, values | state, plan.created, "+", "demo: created"))
            for step in plan.steps:
                reviewer = step.action != ReportAction.SUBMIT
                actor = reviewer_id if reviewer else HISTORY_USER
                state["status"] = step.to_status
                if reviewer:
                    state |= {"decided_at": step.at, "decided_by_id": actor, "reviewer_comment": step.comment,
                              "verification_level": step.verification_level}
                else:
                    state |= {"submitted_at": step.at, "submitted_by_id": actor, "decided_at": None,
                              "decided_by_id": None, "verification_level": ""}
                version = _version(self.report_history, values | state, step.at, "~",
                                   self.report_reasons[step.to_status])
                self.report_history.add(version | {"history_user_id": actor})
                self.report_transition.add({
                    "id": self.report_transition.take_id(), "report_id": report_id, "action": step.action,
                    "from_status": step.from_status, "to_status": step.to_status,
                    "verification_level": step.verification_level, "actor_id": actor, "at": step.at,
                    "comment": step.comment, "content": None,
                })
            updated = plan.steps[-1].at if plan.steps else plan.created
            self.report.add(values | state | {"updated_at": updated})
            for target_id, actual in zip(target_ids, plan.actuals):
                row = {"id": self.report_target.take_id(), "report_id": report_id, "target_id": target_id,
                       "actual_value": actual}
                self.report_target.add(row)
                self.report_target_history.add(
                    _version(self.report_target_history, row, plan.created, "+", "demo: created")
                )

    def take_batch(self, tables: list[Table]) -> Batch:
        """The rows collected in `tables`, in that order, for a `BatchWriter`; empties them."""
        batch = [(table.model, table.attnames, table.rows) for table in tables if table.rows]
        for table in tables:
            table.rows = []
            table.last_version = {}
        return batch

    def reset_sequences(self) -> None:
        reset_sequences([table.model for table in self.tables()])

    def _pledge_version(self, values: dict, links: dict, at, history_type: str, reason: str) -> None:
        history_id = self.pledge_history.take_id()
        self.pledge_history.add(
            values | {"history_id": history_id, "history_date": at, "history_type": history_type,
                      "history_change_reason": reason, "history_user_id": HISTORY_USER}
        )
        pledge_id = values["id"]
        for name, pairs in links.items():
            table = self.m2m[name].history
            for through_id, target_id in pairs:
                table.rows.append((table.take_id(), history_id, through_id, pledge_id, target_id))


def _version(table: Table, values: dict, at, history_type: str, reason: str) -> dict:
    return values | {
        "history_id": table.take_id(),
        "history_date": at,
        "history_type": history_type,
        "history_change_reason": reason,
        "history_user_id": HISTORY_USER,
    }

"""Loading a plan's structure from the file the secretariat edits (formats: `readers`).

`PlanLoader` follows the reference loaders' interface and runs through their one runner
(`reference.importing.run_import`), so a load is an ImportRun like an indicator import: who,
which file, counts, and every error with its line and field (the YAML path, or the CSV column),
all of them at once; nothing is written unless the whole file is valid.

Reading checks every field (`structure`), the codes (unique, parents listed) and every link:
the initiative, its framework nodes, the previous plan, entities by id, name or acronym,
countries by ISO3, and the previous plan's actions that actions continue.

Writing matches records on their codes (the plan on its slug, pillars and actions on their code
in the plan, deliverables on their code in the action) and writes a dated version only for what
changed, so a reload of an unchanged file writes nothing and the plan reads as of any date.
Records the file no longer lists are deleted (their history stays, so earlier dates still show
them), unless something refers to them: an action that a later plan continues, or that
activities, national measures or good practices name, and a pillar with working-group leads,
are never deleted from under those records; the load is refused, naming them. Loading a next
plan (`previous:`, `continues:`) writes only that plan: the previous one is untouched.

A dry run reads, validates and writes in a savepoint it rolls back: its ImportRun (kind
`action_plan_dry_run`) counts what a load would create, update and delete.
"""

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.readers import ACTION, DELIVERABLE, FILE_FIELDS, PILLAR, PLAN, Record, reader_for
from coalition.actionplan.readers.base import file_name_of
from coalition.actionplan.structure import (
    action_clean,
    action_save,
    deliverable_clean,
    pillar_clean,
    plan_clean,
    record_save,
    references,
)
from coalition.common.actors import person
from coalition.common.spelling import name_key
from coalition.common.versions import delete_with_version
from coalition.entities.models import Entity
from coalition.reference.loaders.base import Counts, ImportErrors, Loader, Row, RowError
from coalition.reference.models import Country, FrameworkNode, Initiative

KIND, DRY_RUN_KIND = "action_plan", "action_plan_dry_run"
CLEANERS = {PLAN: plan_clean, PILLAR: pillar_clean, ACTION: action_clean, DELIVERABLE: deliverable_clean}


class PlanLoader(Loader):
    """One plan's structure from `path` (YAML or CSV), written as `actor` (SYSTEM for commands)."""

    def __init__(self, path: Path | str, *, actor, dry_run: bool = False):
        self.path = Path(path)
        self.source = str(self.path)
        self.actor, self.dry_run = actor, dry_run
        self.kind = DRY_RUN_KIND if dry_run else KIND

    # --- reading ---------------------------------------------------------------------------------

    def read(self) -> Iterator[Row | RowError]:
        try:
            reader = reader_for(self.path)
        except ValueError as exc:
            yield RowError(None, "", str(exc))
            return
        records: list[Record] = []
        errors: list[RowError] = []
        for item in reader:
            (errors if isinstance(item, RowError) else records).append(item)
        plans = [record for record in records if record.kind == PLAN]
        if len(plans) != 1:
            lines = ", ".join(str(record.line) for record in plans)
            yield from errors
            yield RowError(None, "record", f"The file should describe exactly one plan; it has {len(plans)}"
                           + (f" (lines {lines})" if plans else ""))
            return
        cleaned = {id(record): self._clean(record, errors) for record in records}
        links = _Links(records, cleaned, errors)
        # In the file's order, so the person fixing it goes down the file once.
        yield from sorted(errors, key=lambda error: error.row or 0)
        for record in records:
            yield Row(number=record.line or 0, data={
                "record": record, "values": cleaned[id(record)], "links": links.of(record),
            })

    @staticmethod
    def _clean(record: Record, errors: list[RowError]) -> dict:
        fields = {target: record.values.get(name) for name, target in FILE_FIELDS[record.kind].items() if target}
        if record.kind in (ACTION, DELIVERABLE):
            fields["order"] = record.position
        elif record.kind == PILLAR and not record.values.get("order"):
            fields["order"] = record.position
        try:
            return CLEANERS[record.kind](fields)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(record.error(file_name_of(record.kind, field), message) for message in messages)
            return {}

    # --- writing ---------------------------------------------------------------------------------

    def write(self, rows: list[Row], counts: Counts) -> None:
        with transaction.atomic():
            _Writer(self, counts).write(rows)
            if self.dry_run:
                transaction.set_rollback(True)
                counts.tables.clear()


class _Links:
    """Resolves every link the records name, collecting errors on the field that names it."""

    def __init__(self, records: list[Record], cleaned: dict, errors: list[RowError]):
        self.errors = errors
        self.found: dict[int, dict] = defaultdict(dict)
        self.entities: dict[str, Entity | str] = {}
        plan = next(record for record in records if record.kind == PLAN)
        self._plan(plan)
        self._codes(records, cleaned)
        self._pillars([record for record in records if record.kind == PILLAR])
        actions = [record for record in records if record.kind == ACTION]
        self._actions(actions)

    def of(self, record: Record) -> dict:
        return self.found[id(record)]

    def _error(self, record: Record, name: str, message: str) -> None:
        self.errors.append(record.error(name, message))

    def _plan(self, record: Record) -> None:
        self.plan_record = record
        slug = str(record.values.get("slug") or "").strip()
        found = self.found[id(record)]
        initiative_slug = str(record.values.get("initiative") or "").strip()
        self.initiative = Initiative.objects.filter(slug=initiative_slug).first() if initiative_slug else None
        if not initiative_slug:
            self._error(record, "initiative", "Give the slug of the initiative the plan belongs to, e.g. ap-is")
        elif self.initiative is None:
            known = ", ".join(Initiative.objects.values_list("slug", flat=True)) or "none: run `coalition reference load`"
            self._error(record, "initiative", f"Unknown initiative {initiative_slug!r} (known: {known})")
        found["initiative"] = self.initiative
        self.previous = None
        previous_slug = str(record.values.get("previous") or "").strip()
        if previous_slug:
            self.previous = self._previous_plan(record, slug, previous_slug)
        found["previous"] = self.previous

    def _previous_plan(self, record: Record, slug: str, previous_slug: str) -> Plan | None:
        previous = Plan.objects.filter(slug=previous_slug).select_related("initiative").first()
        if previous is None:
            self._error(record, "previous", f"No plan {previous_slug!r} is loaded: load the previous plan first")
            return None
        if previous_slug == slug:
            self._error(record, "previous", "A plan cannot follow itself")
            return None
        if self.initiative is not None and previous.initiative_id != self.initiative.pk:
            self._error(record, "previous", f"{previous_slug} is a plan of {previous.initiative.slug}, not of "
                                            f"{self.initiative.slug}")
            return None
        ancestor, seen = previous, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.slug == slug:
                self._error(record, "previous", f"{previous_slug} already follows {slug}: plans cannot follow "
                                                "each other in a circle")
                return None
            seen.add(ancestor.pk)
            ancestor = ancestor.previous
        return previous

    def _codes(self, records: list[Record], cleaned: dict) -> None:
        """Codes are unique where the pages look them up, and every parent is in the file."""
        first: dict[tuple, Record] = {}
        codes = {id(record): str(record.values.get("code") or "").strip() for record in records}
        pillars = {codes[id(record)] for record in records if record.kind == PILLAR}
        actions = {codes[id(record)] for record in records if record.kind == ACTION}
        for record in records:
            code = codes[id(record)]
            if record.kind == PLAN or not code:
                continue
            scope = (record.kind, record.parent if record.kind == DELIVERABLE else "")
            if (scope, code) in first:
                where = first[(scope, code)]
                place = f"line {where.line}" + (f", {where.path}" if where.path else "")
                self._error(record, "code", f"The {record.kind} code {code} is given twice (first on {place})")
            else:
                first[(scope, code)] = record
            if record.kind == ACTION and record.parent not in pillars:
                self._error(record, "pillar", f"No pillar {record.parent!r} in the file")
            if record.kind == DELIVERABLE and record.parent not in actions:
                self._error(record, "action", f"No action {record.parent!r} in the file")

    def _pillars(self, records: list[Record]) -> None:
        nodes = {}
        if self.initiative is not None:
            nodes = {node.code: node for node in FrameworkNode.objects.filter(initiative=self.initiative)}
        for record in records:
            code = str(record.values.get("framework_node") or "").strip()
            node = nodes.get(code) if code else None
            if code and node is None and self.initiative is not None:
                known = ", ".join(nodes) or "none"
                self._error(record, "framework_node", f"{self.initiative.slug} has no framework node {code!r} "
                                                      f"(its nodes: {known})")
            self.found[id(record)]["framework_node"] = node

    def _actions(self, records: list[Record]) -> None:
        wanted = {iso3.upper() for record in records for iso3 in record.values.get("countries") or []}
        countries = {country.iso3: country for country in Country.objects.filter(iso3__in=wanted)}
        earlier = {}
        if self.previous is not None:
            earlier = {action.code: action for action in Action.objects.filter(plan=self.previous)}
        for record in records:
            found = self.found[id(record)]
            lead = str(record.values.get("lead") or "").strip()
            found["lead"] = self._entity(record, "lead", lead) if lead else None
            found["partners"] = [entity for name in record.values.get("partners") or []
                                 if (entity := self._entity(record, "partners", name)) is not None]
            found["countries"] = []
            for iso3 in record.values.get("countries") or []:
                country = countries.get(iso3.upper())
                if country is None:
                    self._error(record, "countries", f"Unknown ISO3 code {iso3!r} (not in the country table)")
                else:
                    found["countries"].append(country)
            found["continues"] = self._continued(record, earlier)

    def _continued(self, record: Record, earlier: dict[str, Action]) -> Action | None:
        code = str(record.values.get("continues") or "").strip()
        if not code:
            return None
        previous_slug = str(self.plan_record.values.get("previous") or "").strip()
        if not previous_slug:
            self._error(record, "continues", "An action continues an action of the previous plan: name that plan "
                                             "in the plan's `previous` field")
            return None
        if self.previous is None:
            return None  # the previous plan's own error says why
        action = earlier.get(code)
        if action is None:
            self._error(record, "continues", f"{self.previous.slug} has no action {code!r}")
        return action

    def _entity(self, record: Record, field: str, text: str) -> Entity | None:
        """The entity `text` names: its id, or its name or acronym as people type them."""
        if text not in self.entities:
            self.entities[text] = _entity_named(text)
        found = self.entities[text]
        if isinstance(found, str):
            self._error(record, field, found)
            return None
        return found


def _entity_named(text: str) -> Entity | str:
    """The entity `text` names, or why none does."""
    if text.isdigit():
        entity = Entity.objects.filter(pk=int(text)).first()
        return entity or f"No entity has the id {text}"
    found = list(Entity.objects.filter(Q(search_name=name_key(text)) | Q(acronym__iexact=text)).order_by("pk")[:4])
    if len(found) == 1:
        return found[0]
    if found:
        named = ", ".join(f"{entity.name} (id {entity.pk})" for entity in found[:3])
        return f"{text!r} names several entities ({named}): write the id of the one meant"
    return f"No entity is registered as {text!r}: register it first, write its id, or leave it out"


class _Writer:
    """Writes the validated rows: the plan, its pillars, actions and deliverables, then deletes
    what the file no longer lists (or refuses, naming what refers to it)."""

    def __init__(self, loader: PlanLoader, counts: Counts):
        self.counts = counts
        self.actor, self.at = person(loader.actor), timezone.now()
        self.reason = f"loaded from {loader.path.name}"

    def _save(self, obj, values: dict) -> None:
        self._count(type(obj), record_save(obj, values, actor=self.actor, reason=self.reason, at=self.at))

    def _count(self, model, outcome: str) -> None:
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        if outcome != "unchanged":
            self.counts.wrote(model)

    def _delete(self, obj) -> None:
        delete_with_version(obj, actor=self.actor, reason=self.reason, at=self.at)
        self.counts.deleted += 1
        self.counts.wrote(type(obj))

    def write(self, rows: list[Row]) -> None:
        by_kind = defaultdict(list)
        for row in rows:
            by_kind[row.data["record"].kind].append(row)
        [plan_row] = by_kind[PLAN]
        plan = Plan.objects.select_for_update().filter(slug=plan_row.data["values"]["slug"]).first() or Plan()
        self._save(plan, {**plan_row.data["values"], **plan_row.data["links"]})
        pillars = self._pillars(plan, by_kind[PILLAR])
        actions = self._actions(plan, pillars, by_kind[ACTION])
        self._deliverables(plan, actions, by_kind[DELIVERABLE])
        self._remove(plan, pillars, actions)

    def _pillars(self, plan: Plan, rows: list[Row]) -> dict[str, Pillar]:
        current = {pillar.code: pillar for pillar in plan.pillars.all()}
        kept = {}
        for row in rows:
            values = {**row.data["values"], **row.data["links"]}
            pillar = current.pop(values["code"], None) or Pillar(plan=plan)
            self._save(pillar, values)
            kept[pillar.code] = pillar
        self.pillars_removed = list(current.values())
        return kept

    def _actions(self, plan: Plan, pillars: dict[str, Pillar], rows: list[Row]) -> dict[str, Action]:
        current = {action.code: action for action in Action.objects.filter(plan=plan)}
        kept = {}
        for row in rows:
            record, links = row.data["record"], row.data["links"]
            values = {**row.data["values"], "pillar": pillars[record.parent], "lead": links["lead"],
                      "continues": links["continues"]}
            action = current.pop(values["code"], None) or Action(plan=plan)
            outcome = action_save(action, values, partners=links["partners"], countries=links["countries"],
                                  actor=self.actor, reason=self.reason, at=self.at)
            self._count(Action, outcome)
            kept[action.code] = action
        self.actions_removed = list(current.values())
        return kept

    def _deliverables(self, plan: Plan, actions: dict[str, Action], rows: list[Row]) -> None:
        current = defaultdict(dict)
        for deliverable in Deliverable.objects.filter(action__plan=plan):
            current[deliverable.action_id][deliverable.code] = deliverable
        for row in rows:
            action = actions[row.data["record"].parent]
            values = row.data["values"]
            deliverable = current[action.pk].pop(values["code"], None) or Deliverable(action=action)
            self._save(deliverable, values)
        for action in actions.values():
            for deliverable in current.pop(action.pk, {}).values():
                self._delete(deliverable)

    def _remove(self, plan: Plan, pillars: dict[str, Pillar], actions: dict[str, Action]) -> None:
        refused = []
        for action in self.actions_removed:
            if found := references(action, own=frozenset({"deliverables"})):
                refused.append(RowError(None, "actions", f"Action {action.code} is no longer in the file, but it "
                                        f"cannot be removed: {'; '.join(found)}. Keep it in the file (its status "
                                        "may be discontinued)"))
        for pillar in self.pillars_removed:
            if found := references(pillar, own=frozenset({"actions"})):
                refused.append(RowError(None, "pillars", f"Pillar {pillar.code} is no longer in the file, but it "
                                        f"cannot be removed: {'; '.join(found)}. Keep it in the file, or remove "
                                        "them first"))
        if refused:
            raise ImportErrors(refused)
        for action in self.actions_removed:
            for deliverable in action.deliverables.all():
                self._delete(deliverable)
            self._delete(action)
        for pillar in self.pillars_removed:
            self._delete(pillar)

"""Writes of meetings (sessions of the bodies that steer a plan, conferences) and their documents,
and the loader of the secretariat's meetings file.

Meetings are not moderated: the secretariat's reviewers and the administrators record them (commands
act as `SYSTEM`). Every change writes one dated version of the meeting, its participating countries
included, so the calendar reads as it stood on any date; a save that changes nothing writes nothing.
Errors are `ValidationError` keyed by field, or `PermissionDenied`, worded for the person acting.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import Meeting, MeetingDocument, MeetingKind, Plan
from coalition.common.actors import is_system, person
from coalition.common.i18n import choice_code, choice_codes
from coalition.common.versions import delete_with_version, rows_sync, same_value, save_with_version
from coalition.pledges.models import Campaign
from coalition.reference.importing import run_import
from coalition.reference.loaders.base import Counts, FileLoader, Row, RowError
from coalition.reference.models import Country, ImportRun

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# The meeting's own fields, in the order the file and the admin list them.
MEETING_FIELDS = (
    "slug", "kind", "plan", "name_en", "name_fr", "body", "start_date", "end_date", "place", "host_country",
    "online", "summary_en", "summary_fr", "agenda", "decisions", "campaign", "url", "illustrative",
)
TEXT_FIELDS = ("name_en", "name_fr", "body", "place", "summary_en", "summary_fr")
DOCUMENT_FIELDS = ("symbol", "title", "url")


def meeting_may_save(user) -> bool:
    """The secretariat's reviewers and the administrators record meetings (and the system, for commands)."""
    return is_system(user) or user_is_reviewer(user)


def _check_may_save(actor) -> None:
    if not meeting_may_save(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers and the administrators record meetings."))


# --- Validation -----------------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _text(value: Any, field: str, errors: _Errors) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        errors.add(field, _("Write this as text."))
        return ""
    text = str(value).strip()
    limit = Meeting._meta.get_field(field).max_length if field in MEETING_FIELDS else None
    if limit and len(text) > limit:
        errors.add(field, _("Keep this to %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(text)})
    return text


def _lines(value: Any, field: str, errors: _Errors) -> str:
    """One item per line, from a text or a list of texts; blank lines dropped."""
    if value is None:
        return ""
    items = value if isinstance(value, list | tuple) else str(value).splitlines()
    lines = []
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            errors.add(field, _("Write each item as one line of text."))
            return ""
        lines.extend(line.strip() for line in str(item).splitlines() if line.strip())
    return "\n".join(lines)


def _date(value: Any, field: str, errors: _Errors, *, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Give the date (YYYY-MM-DD)."))
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(field, _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2024-09-03.")
                   % {"value": str(value)[:40]})
        return None


def _flag(value: Any, field: str, errors: _Errors) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    errors.add(field, _("Answer true or false."))
    return False


def _url(value: Any, field: str, errors: _Errors, *, limit: int) -> str:
    text = str(value or "").strip()
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            errors.add(field, _("“%(value)s” is not a web address: it starts with https://.") % {"value": text[:80]})
            return ""
        if len(text) > limit:
            errors.add(field, _("Keep the address to %(limit)d characters.") % {"limit": limit})
    return text


def _country(value: Any, field: str, errors: _Errors) -> Country | None:
    if value in (None, ""):
        return None
    if isinstance(value, Country):
        return value
    code = str(value).strip().upper()
    country = Country.objects.filter(iso3=code).first() if len(code) == 3 else None
    if country is None:
        errors.add(field, _("“%(code)s” is not a country code: use ISO 3166 alpha-3 codes, such as KAZ for Kazakhstan.")
                   % {"code": str(value)[:20]})
    return country


def _countries(value: Any, errors: _Errors) -> list[Country]:
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        value = str(value).replace(",", " ").split()
    found: dict[int, Country] = {}
    for item in value:
        country = _country(item, "countries", errors)
        if country is not None:
            found.setdefault(country.pk, country)
    return sorted(found.values(), key=lambda country: country.name_en)


def _by_slug(value: Any, model, field: str, errors: _Errors, missing: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(slug=str(value).strip()).first()
    if found is None:
        errors.add(field, missing % {"slug": str(value)[:60]})
    return found


def _documents(value: Any, errors: _Errors) -> list[dict[str, str]] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        errors.add("documents", _("List the documents, each with a title and, if it has them, a symbol and a link."))
        return []
    documents = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, Mapping):
            errors.add("documents", _("Document %(n)d: give its symbol, title and link.") % {"n": number})
            continue
        local = _Errors()
        unknown = sorted(set(item) - set(DOCUMENT_FIELDS) - {"order", "id", "DELETE", "meeting"})
        for name in unknown:
            local.add(name, _("unknown field “%(name)s” (a document has: symbol, title, url)") % {"name": name})
        row = {
            "symbol": str(item.get("symbol") or "").strip(),
            "title": str(item.get("title") or "").strip(),
            "url": _url(item.get("url"), "url", local, limit=MeetingDocument._meta.get_field("url").max_length),
        }
        if not row["title"]:
            local.add("title", _("the title is missing"))
        for name in ("symbol", "title"):
            limit = MeetingDocument._meta.get_field(name).max_length
            if len(row[name]) > limit:
                local.add(name, _("keep the %(field)s to %(limit)d characters") % {"field": name, "limit": limit})
        for messages in local.by_field.values():
            for message in messages:
                errors.add("documents", _("Document %(n)d: %(problem)s.") % {"n": number, "problem": message.rstrip(".")})
        documents.append(row)
    return documents


def meeting_clean(*, data: Mapping[str, Any], meeting: Meeting | None = None) -> dict[str, Any]:
    """`data` (a meeting's complete fields, as a form or the meetings file gives them) checked and
    read into values: dates in order, the slug free, countries by ISO 3166 alpha-3 code (or Country),
    the plan and the campaign by slug (or object), agenda and decisions as a text or a list of lines.
    `meeting` is the meeting being changed (None for a new one). Reads only; raises ValidationError
    keyed by field with every problem found."""
    errors = _Errors()
    clean: dict[str, Any] = {}
    slug = _text(data.get("slug"), "slug", errors)
    if not slug:
        errors.add("slug", _("Give the meeting a short address, such as ministerial-conference-2024."))
    else:
        try:
            validate_slug(slug)
        except ValidationError:
            errors.add("slug", _("Use only letters, digits, hyphens and underscores in the address."))
        else:
            others = Meeting.objects.filter(slug=slug)
            if meeting is not None and meeting.pk is not None:
                others = others.exclude(pk=meeting.pk)
            if others.exists():
                errors.add("slug", _("Another meeting already has the address “%(slug)s”: choose another.") % {"slug": slug})
    clean["slug"] = slug
    kind = choice_code(choice_codes(MeetingKind), data.get("kind"))
    if kind is None:
        errors.add("kind", _("Choose the kind of meeting: %(kinds)s.") % {"kinds": ", ".join(MeetingKind.values)})
    clean["kind"] = kind or ""
    for name in TEXT_FIELDS:
        clean[name] = _text(data.get(name), name, errors)
    if not clean["name_en"]:
        errors.add("name_en", _("Give the meeting's name in English."))
    clean["start_date"] = _date(data.get("start_date"), "start_date", errors, required=True)
    clean["end_date"] = _date(data.get("end_date"), "end_date", errors, required=False)
    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors.add("end_date", _("The meeting cannot end (%(end)s) before it starts (%(start)s).")
                   % {"end": clean["end_date"].isoformat(), "start": clean["start_date"].isoformat()})
    clean["host_country"] = _country(data.get("host_country"), "host_country", errors)
    clean["countries"] = _countries(data.get("countries"), errors)
    clean["online"] = _flag(data.get("online"), "online", errors)
    clean["illustrative"] = _flag(data.get("illustrative"), "illustrative", errors)
    clean["agenda"] = _lines(data.get("agenda"), "agenda", errors)
    clean["decisions"] = _lines(data.get("decisions"), "decisions", errors)
    clean["url"] = _url(data.get("url"), "url", errors, limit=Meeting._meta.get_field("url").max_length)
    clean["plan"] = _by_slug(data.get("plan"), Plan, "plan", errors,
                             _("No action plan has the slug “%(slug)s”: load the plans first."))
    clean["campaign"] = _by_slug(data.get("campaign"), Campaign, "campaign", errors,
                                 _("No pledging campaign has the slug “%(slug)s”."))
    clean["documents"] = _documents(data.get("documents"), errors)
    errors.raise_any()
    return clean


# --- Writes ---------------------------------------------------------------------------------------


@contextmanager
def _links_without_versions(meeting: Meeting):
    """Silence the per-link history signal: the service records one version with every link."""
    meeting.skip_history_when_saving = True
    try:
        yield
    finally:
        del meeting.skip_history_when_saving


def _documents_sync(meeting: Meeting, documents: list[dict[str, str]], *, actor, at) -> bool:
    """Make the meeting's documents `documents`, in that order; True when anything changed."""
    current = list(meeting.documents.order_by("order", "id"))
    wanted = {order: {**row, "order": order} for order, row in enumerate(documents)}
    if len(current) == len(wanted) and all(
        all(getattr(row, name) == value for name, value in wanted[order].items()) for order, row in enumerate(current)
    ):
        return False
    rows_sync(current=dict(enumerate(current)), wanted=wanted,
              new=lambda _order: MeetingDocument(meeting=meeting), actor=actor, at=at)
    return True


def _meeting_write(*, meeting: Meeting | None, clean: Mapping[str, Any], actor, at, reason: str) -> tuple[Meeting, str]:
    """Write `clean` (from `meeting_clean`) to `meeting` (None: a new one); returns the meeting and
    "created", "updated" or "unchanged". One version per change, links included."""
    who = person(actor)
    created = meeting is None
    meeting = meeting or Meeting()
    fields_changed = created or not all(same_value(getattr(meeting, name), clean[name]) for name in MEETING_FIELDS)
    countries = [country.pk for country in clean["countries"]]
    countries_changed = bool(countries) if created else sorted(meeting.countries.values_list("pk", flat=True)) != sorted(countries)
    for name in MEETING_FIELDS:
        setattr(meeting, name, clean[name])
    if created:
        save_with_version(meeting, actor=who, reason=reason, at=at)
    if countries_changed:
        with _links_without_versions(meeting):
            meeting.countries.set(countries)
    if not created and fields_changed or countries_changed:
        save_with_version(meeting, actor=who, reason=reason, at=at)
    documents_changed = clean.get("documents") is not None and _documents_sync(meeting, clean["documents"], actor=who, at=at)
    if created:
        return meeting, "created"
    return meeting, "updated" if fields_changed or countries_changed or documents_changed else "unchanged"


@transaction.atomic
def meeting_save(*, actor, data: Mapping[str, Any], meeting: Meeting | None = None) -> Meeting:
    """Create a meeting from `data` (its complete fields, see `meeting_clean`), or replace the fields
    of `meeting` with them. With a `documents` list the meeting's documents become that list;
    without one they stay as they are.

    Reviewers and administrators only (PermissionDenied otherwise). Writes the meeting and one dated
    version of it, countries included, only when something changed; raises ValidationError keyed by
    field, with nothing written, for bad input."""
    _check_may_save(actor)
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    clean = meeting_clean(data=data, meeting=meeting)
    meeting, _outcome = _meeting_write(meeting=meeting, clean=clean, actor=actor, at=timezone.now(),
                                       reason="created" if meeting is None else "edited")
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Delete a meeting recorded by mistake, with its documents. Reviewers and administrators only;
    its last version (a deletion) keeps the calendar of earlier dates as it was."""
    _check_may_save(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    delete_with_version(meeting, actor=person(actor), reason="deleted", at=timezone.now())


@transaction.atomic
def meeting_document_add(*, actor, meeting: Meeting, title: str, symbol: str = "", url: str = "") -> MeetingDocument:
    """Add a document (its title, UN symbol and link) at the end of a meeting's documents.

    Reviewers and administrators only; raises ValidationError keyed by `title`, `symbol` or `url`,
    or by `symbol` when the meeting already lists a document with that symbol."""
    _check_may_save(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    errors = _Errors()
    row = {"symbol": str(symbol or "").strip(), "title": str(title or "").strip(),
           "url": _url(url, "url", errors, limit=MeetingDocument._meta.get_field("url").max_length)}
    if not row["title"]:
        errors.add("title", _("Give the document's title."))
    for name in ("symbol", "title"):
        limit = MeetingDocument._meta.get_field(name).max_length
        if len(row[name]) > limit:
            errors.add(name, _("Keep this to %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(row[name])})
    if row["symbol"] and meeting.documents.filter(symbol__iexact=row["symbol"]).exists():
        errors.add("symbol", _("This meeting already lists the document %(symbol)s.") % {"symbol": row["symbol"]})
    errors.raise_any()
    last = meeting.documents.order_by("-order").values_list("order", flat=True).first()
    document = MeetingDocument(meeting=meeting, order=0 if last is None else last + 1, **row)
    document.save()
    return document


@transaction.atomic
def meeting_document_remove(*, actor, document: MeetingDocument) -> None:
    """Remove a document from its meeting. Reviewers and administrators only."""
    _check_may_save(actor)
    MeetingDocument.objects.filter(pk=document.pk).delete()


# --- The meetings file ----------------------------------------------------------------------------

FILE_FIELDS = (*MEETING_FIELDS, "countries", "documents")


def _entry_nodes(tree) -> tuple[list, int | None]:
    """The YAML nodes of the file's meetings: a list at the top, or under `meetings:`."""
    if isinstance(tree, yaml.MappingNode):
        for key, value in tree.value:
            if key.value == "meetings":
                return (value.value if isinstance(value, yaml.SequenceNode) else None), key.start_mark.line + 1
        return None, tree.start_mark.line + 1
    if isinstance(tree, yaml.SequenceNode):
        return tree.value, tree.start_mark.line + 1
    return None, 1


class MeetingsLoader(FileLoader):
    """The secretariat's meetings file (YAML): one entry per meeting, keyed by its slug.

    Reading checks every entry (`meeting_clean`) and names the entry and the field of each problem,
    with the file line; writing (all-or-nothing, by the runner) creates the meetings not yet
    recorded and updates the others in place, versions written only for what changed. Meetings
    the file does not list are left alone."""

    kind = "actionplan:meetings"
    default_path = DATA_DIR / "meetings.yaml"

    def __init__(self, path: Path | str | None = None, *, actor):
        super().__init__(path)
        self.actor = actor

    def read(self) -> Iterator[Row | RowError]:
        text = self.path.read_text(encoding="utf-8")
        try:
            tree = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            yield RowError(mark.line + 1 if mark else None, "", f"{self.path.name} is not valid YAML: {problem}")
            return
        nodes, line = _entry_nodes(tree)
        entries = data.get("meetings") if isinstance(data, dict) else data
        if nodes is None or not isinstance(entries, list):
            yield RowError(line, "meetings", f"{self.path.name} must list its meetings under `meetings:`, one entry each.")
            return
        seen: dict[str, int] = {}
        for number, (entry, node) in enumerate(zip(entries, nodes, strict=True), 1):
            yield from self._read_entry(number, entry, node, seen)

    def _read_entry(self, number: int, entry, node, seen: dict[str, int]) -> Iterator[Row | RowError]:
        line = node.start_mark.line + 1
        if not isinstance(entry, dict):
            yield RowError(line, "", f"Entry {number}: expected a meeting (slug, kind, name_en, start_date…).")
            return
        lines = {str(key.value): key.start_mark.line + 1 for key, _value in node.value}
        slug = str(entry.get("slug") or "").strip()
        label = f"Meeting “{slug}”" if slug else f"Entry {number}"
        problems = []
        for key in entry:
            if str(key) not in FILE_FIELDS:
                problems.append(RowError(lines.get(str(key), line), str(key),
                                         f"{label}: unknown field; a meeting has {', '.join(FILE_FIELDS)}."))
        if slug in seen:
            problems.append(RowError(lines.get("slug", line), "slug",
                                     f"{label}: the slug is used twice in the file (first at line {seen[slug]})."))
        elif slug:
            seen[slug] = line
        existing = Meeting.objects.filter(slug=slug).first() if slug else None
        try:
            clean = meeting_clean(data={**entry, "documents": entry.get("documents") or []}, meeting=existing)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    problems.append(RowError(lines.get(field, line), field, f"{label}: {message}"))
        if problems:
            yield from problems
            return
        yield Row(line, {"slug": slug, "clean": clean})

    def write(self, rows: list[Row], counts: Counts) -> None:
        at = timezone.now()
        for row in rows:
            meeting = Meeting.objects.select_for_update().filter(slug=row.data["slug"]).first()
            _meeting, outcome = _meeting_write(meeting=meeting, clean=row.data["clean"], actor=self.actor, at=at,
                                               reason=f"loaded from {self.path.name}")
            setattr(counts, outcome, getattr(counts, outcome) + 1)


def meetings_load(*, path: Path | str | None = None, actor) -> ImportRun:
    """Load the meetings file at `path` (the shipped `actionplan/data/meetings.yaml` by default) and
    return its ImportRun: `succeeded` with counts of meetings created, updated and unchanged, or
    `failed` with every error ({row: file line, column: field, message naming the meeting}) and
    nothing written. Reviewers and administrators only; commands pass `SYSTEM`."""
    _check_may_save(actor)
    return run_import(loader=MeetingsLoader(path, actor=actor), user=person(actor))

"""Validation of a good practice's content and of its attachments, shared by every interface
through the services. Errors are keyed by field (`title`, `countries`, `files[1].file`).
"""

import os
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils.translation import gettext as _

from coalition.actionplan.models import Action
from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.entities.models import Entity
from coalition.knowledge.models import GoodPractice, SharedBy
from coalition.pledges.models import Pledge, Status
from coalition.reference.models import Country, FrameworkNode, SdgTarget, WsisActionLine
from coalition.reporting.validation import evidence_file_errors

# One-line fields and their columns' lengths.
LINE_FIELDS = {"title": 300, "cost": 300, "contact_name": 200, "contact_email": 254}
# Free text (Markdown, but for the summary, which the list shows as it is typed).
TEXT_FIELDS = ("summary", "problem", "approach", "results", "lessons")
SUMMARY_LIMIT = 1_000
# What a practice needs before the secretariat reviews it.
REQUIRED_TO_SUBMIT = ("summary", "problem", "approach", "results")
SCALAR_FIELDS = (*LINE_FIELDS, *TEXT_FIELDS)

# The links a practice is tagged with: the rows that may be named, and how many at most.
LINK_LIMIT = 300
LINK_QUERYSETS = {
    "countries": lambda: Country.objects.all(),
    "framework_nodes": lambda: FrameworkNode.objects.all(),
    "sdg_targets": lambda: SdgTarget.objects.all(),
    "wsis_lines": lambda: WsisActionLine.objects.all(),
    "pledges": lambda: Pledge.objects.all(),
    "actions": lambda: Action.objects.all(),
}
LINK_FIELDS = tuple(LINK_QUERYSETS)


def _label(name: str) -> str:
    return str(GoodPractice._meta.get_field(name).verbose_name)


def _links_clean(name: str, values: Iterable | None, errors: dict) -> list[models.Model]:
    """The rows named by `values` (instances or ids), each once, in the order given."""
    wanted = []
    for value in values or ():
        pk = value.pk if isinstance(value, models.Model) else value
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            errors[name] = _("“%(value)s” is not one of the %(field)s.") % {"value": str(value)[:40], "field": _label(name)}
            return []
        if pk not in wanted:
            wanted.append(pk)
    if len(wanted) > LINK_LIMIT:
        errors[name] = _("Choose at most %(limit)s %(field)s.") % {"limit": LINK_LIMIT, "field": _label(name)}
        return []
    found = LINK_QUERYSETS[name]().in_bulk(wanted)
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        errors[name] = _("No %(field)s numbered %(ids)s.") % {
            "field": _label(name), "ids": ", ".join(str(pk) for pk in missing[:5])}
        return []
    if name == "pledges":
        unpublished = [found[pk] for pk in wanted if found[pk].status != Status.PUBLISHED]
        if unpublished:
            errors[name] = _("Only published pledges can be linked: “%(title)s” is not.") % {"title": unpublished[0].title}
            return []
    return [found[pk] for pk in wanted]


def practice_clean(*, data: Mapping[str, Any], complete: bool) -> dict[str, Any]:
    """Validate a complete set of practice fields and return them normalised.

    `data` holds the fields in SCALAR_FIELDS and the links in LINK_FIELDS (lists of instances or
    ids; only published pledges may be linked). A draft needs only its title; `complete` (a
    submission) also needs the summary, the problem, what was done and the results. Raises
    `ValidationError` with one message per offending field.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, limit in LINE_FIELDS.items():
        clean[name] = line_clean(data.get(name))
        length_check(errors, name, clean[name], limit=limit, label=_label(name))
    for name in TEXT_FIELDS:
        clean[name] = text_clean(data.get(name))
        length_check(errors, name, clean[name], limit=SUMMARY_LIMIT if name == "summary" else TEXT_LIMIT,
                     label=_label(name))
    if not clean["title"]:
        errors["title"] = _("Give the practice a title.")
    if clean["contact_email"] and "contact_email" not in errors:
        try:
            EmailValidator()(clean["contact_email"])
        except ValidationError:
            errors["contact_email"] = _("Give an e-mail address such as name@example.org.")
    if complete:
        for name in REQUIRED_TO_SUBMIT:
            if not clean[name] and name not in errors:
                errors[name] = _("Fill in “%(field)s” before submitting.") % {"field": _label(name)}
    for name in LINK_FIELDS:
        clean[name] = _links_clean(name, data.get(name), errors)
    if errors:
        raise ValidationError(errors)
    return clean


def sharer_clean(data: Mapping[str, Any]) -> tuple[str, Entity | None, Country | None]:
    """(shared_by, entity, country) from `data`: a pledger names its entity, a member state its
    country, the secretariat neither."""
    shared_by = data.get("shared_by") or ""
    entity, country = data.get("entity"), data.get("country")
    if shared_by not in SharedBy.values:
        raise ValidationError({"shared_by": _("Choose who shares the practice.")})
    if shared_by == SharedBy.PLEDGER:
        entity = _one(Entity, entity)
        if entity is None:
            raise ValidationError({"entity": _("Choose the organisation sharing the practice.")})
        return shared_by, entity, None
    if shared_by == SharedBy.MEMBER_STATE:
        country = _one(Country, country)
        if country is None:
            raise ValidationError({"country": _("Choose the member state sharing the practice.")})
        return shared_by, None, country
    return shared_by, None, None


def _one(model: type[models.Model], value):
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(pk=int(value)).first() if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- Attachments ---------------------------------------------------------------------------------
# The files a practice may carry, checked by their content, not their name: the first bytes of
# each kind (`reporting.validation`, which also holds the size limit, COALITION_EVIDENCE_MAX_BYTES),
# then, for the office formats (ZIP archives), the parts that make the archive that kind of
# document, and for text that it is UTF-8.

MAX_ATTACHMENTS = 20
MAX_NEW_ATTACHMENTS = 5
_OOXML = "[Content_Types].xml"
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    # extension: (content type served, the archive parts it must hold; None: no archive)
    ".pdf": ("application/pdf", None),
    ".png": ("image/png", None),
    ".jpg": ("image/jpeg", None),
    ".jpeg": ("image/jpeg", None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_OOXML, "word/document.xml")),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_OOXML, "xl/workbook.xml")),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
              (_OOXML, "ppt/presentation.xml")),
    ".odt": ("application/vnd.oasis.opendocument.text", ("mimetype", "content.xml")),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ("mimetype", "content.xml")),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ("mimetype", "content.xml")),
    ".txt": ("text/plain; charset=utf-8", None),
    ".csv": ("text/csv; charset=utf-8", None),
}
_TEXT_HEAD = 64 * 1024


def _name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "")


def _extension(upload) -> str:
    return os.path.splitext(_name(upload))[1].lower()


def _not_this_type(upload) -> str:
    return _("“%(name)s” does not look like a %(type)s file; its content does not match its name.") % {
        "name": _name(upload), "type": _extension(upload).lstrip(".").upper()}


def _archive_error(upload, parts: tuple[str, ...], content_type: str) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if not set(parts) <= names:
                return _not_this_type(upload)
            if "mimetype" in parts:
                # OpenDocument names its type in a small first part, stored uncompressed.
                info = archive.getinfo("mimetype")
                if info.file_size > 100 or archive.read(info).decode("ascii", "replace").strip() != content_type:
                    return _not_this_type(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, NotImplementedError):
        return _not_this_type(upload)
    finally:
        upload.seek(0)
    return None


def _text_error(upload) -> str | None:
    upload.seek(0)
    head = upload.read(_TEXT_HEAD)
    upload.seek(0)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is not an error.
        if not (len(head) == _TEXT_HEAD and error.start >= len(head) - 3):
            return _("“%(name)s” is not UTF-8 text: save it as UTF-8 (plain text or CSV) and upload it again.") % {
                "name": _name(upload)}
    if b"\x00" in head:
        return _not_this_type(upload)
    return None


def attachment_file_errors(upload, *, field: str) -> dict[str, str]:
    """Why an attachment file is refused (keyed by `field`), or nothing when it is acceptable:
    its type (by extension, then by content), emptiness and size, as for evidence files, then
    the parts an office document must hold and the encoding of a text."""
    extension = _extension(upload)
    if extension not in ATTACHMENT_TYPES:
        return {field: _("“%(name)s” is not an accepted type. Accepted: %(types)s.") % {
            "name": _name(upload), "types": ", ".join(sorted({e.lstrip(".").upper() for e in ATTACHMENT_TYPES}))}}
    errors = evidence_file_errors(upload, field=field)
    if errors:
        return errors
    content_type, parts = ATTACHMENT_TYPES[extension]
    message = _archive_error(upload, parts, content_type) if parts else (
        _text_error(upload) if content_type.startswith("text/") else None)
    return {field: message} if message else {}


def attachment_content_type(upload) -> str:
    """The content type an accepted file is served with (from its checked kind)."""
    return ATTACHMENT_TYPES[_extension(upload)][0]

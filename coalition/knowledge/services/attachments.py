"""A practice's attachments (a report, photos, a toolkit): added and removed by those who may
edit the practice, each file checked by its content and size (`validation.attachment_file_errors`).
"""

import os
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.common.text import line_clean
from coalition.knowledge.models import Attachment, GoodPractice
from coalition.knowledge.validation import (
    MAX_ATTACHMENTS,
    MAX_NEW_ATTACHMENTS,
    attachment_content_type,
    attachment_file_errors,
)
from coalition.knowledge.workflow import PRACTICE_WORKFLOW

TITLE_LIMIT = 300


def _locked_editable(practice: GoodPractice, actor) -> GoodPractice:
    practice = GoodPractice.objects.select_for_update(of=("self",)).select_related("entity", "country").get(pk=practice.pk)
    PRACTICE_WORKFLOW.check_edit(practice, actor)
    return practice


@transaction.atomic
def attachment_add(*, actor, practice: GoodPractice, files: Sequence[Mapping[str, Any]]) -> list[Attachment]:
    """Attach `files` (each {title, file}; a blank title takes the file's name) to a practice the
    actor may edit now (`PRACTICE_WORKFLOW`), all or none: every file is checked first, and one
    refused file (`files[<n>].file`, `files[<n>].title`) adds nothing. A practice keeps at most
    MAX_ATTACHMENTS files; MAX_NEW_ATTACHMENTS are added at once. Files are stored once the
    checks pass; a later failure rolls the rows back and removes the stored files.
    """
    practice = _locked_editable(practice, actor)
    errors: dict[str, str] = {}
    if not files:
        raise ValidationError({"files": _("Choose a file to attach.")})
    if len(files) > MAX_NEW_ATTACHMENTS:
        raise ValidationError({"files": _("Attach at most %(limit)s files at once.") % {"limit": MAX_NEW_ATTACHMENTS}})
    if practice.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("A practice keeps at most %(limit)s attachments; remove one first.")
                               % {"limit": MAX_ATTACHMENTS}})
    rows = []
    for index, item in enumerate(files):
        upload = item.get("file")
        if not upload:
            errors[f"files[{index}].file"] = _("Choose the file to upload.")
            continue
        errors.update(attachment_file_errors(upload, field=f"files[{index}].file"))
        title = line_clean(item.get("title")) or os.path.splitext(os.path.basename(upload.name))[0]
        if len(title) > TITLE_LIMIT:
            errors[f"files[{index}].title"] = _("Keep the title to %(limit)s characters at most.") % {"limit": TITLE_LIMIT}
        rows.append((title[:TITLE_LIMIT], upload))
    if errors:
        raise ValidationError(errors)
    added, stored = [], []
    try:
        for title, upload in rows:
            row = Attachment(practice=practice, title=title, content_type=attachment_content_type(upload),
                             size=upload.size, added_by=actor)
            row.file.save(os.path.basename(upload.name), upload, save=False)
            stored.append((row.file.storage, row.file.name))
            row.save()
            added.append(row)
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return added


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Remove an attachment from a practice the actor may edit now; its file leaves the storage
    once the removal is committed."""
    _locked_editable(attachment.practice, actor)
    attachment = Attachment.objects.get(pk=attachment.pk)
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))

"""`field_label`: a pledge field's name (as histories and revisions record it, and as services key
their errors) in the reader's language."""

import datetime
import re
from collections.abc import Mapping, Sequence
from functools import cache

from django import template
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

register = template.Library()


@cache
def _labels() -> dict:
    from coalition.pledges import forms  # the labels the pledger saw on the form steps

    labels = {
        "targets": _("Targets"), "partners": _("Partners"), "baseline_value": _("Baseline"), "status": _("Status"),
        "submitted_at": _("Submitted at"), "published_at": _("Published at"), "assigned_to": _("Reviewer"),
        "value_usd": _("Value in USD"), "value_usd_provisional": _("Value in USD at a provisional rate"),
        "order": _("Order"), "created_by": _("Created by"),
        "created_at": _("Created at"), "updated_at": _("Updated at"), "is_demo": _("Demo data"),
    }
    for form in (forms.BasicsForm, forms.FocusForm, forms.BeneficiariesForm, forms.AlignmentForm, forms.ValueForm,
                 forms.TargetForm, forms.PartnerForm):
        for name, field in form.base_fields.items():
            labels.setdefault(name, field.label)
    return labels


# A field of one row of a list (`targets[0].target_value`, `evidence[2].file`), as services key
# their errors.
_ROW_FIELD = re.compile(r"^(targets|partners|evidence)\[(\d+)\]\.(\w+)$")


@cache
def _row_labels() -> dict:
    """Per list: how the form names one of its rows, and each field of a row (none: the row itself)."""
    return {
        "targets": (_("Target %(number)s"), {
            "description": _("description"), "unit": _("unit"), "target_value": _("value"),
            "baseline_value": _("baseline"), "target_date": _("date"), "actual_value": _("value reached"),
        }),
        "partners": (_("Partner %(number)s"), {"role": _("role")}),
        "evidence": (_("Evidence %(number)s"), {
            "title": _("title"), "url": _("web address"), "file": _("file"), "kind": _("kind"),
        }),
    }


@register.filter
def field_label(name: str, numbers: Mapping[str, Sequence[int]] | None = None) -> str:
    """The form label of a pledge, target or partner field, lower-cased; a field of a row of a
    list as the form shows that row and field ("Target 1 — value" for `targets[0].target_value`,
    "Evidence 2 — file" for `evidence[1].file`); other names with spaces.

    Rows are numbered from 1 in list order; `numbers`, when the form shows a list's rows under
    other numbers (blank rows left out of the list), gives per list the number of each row.
    """
    match = _ROW_FIELD.match(str(name))
    if match:
        rows, index, field = match.group(1), int(match.group(2)), match.group(3)
        shown = (numbers or {}).get(rows)
        number = shown[index] if shown is not None and index < len(shown) else index + 1
        row, fields = _row_labels()[rows]
        row = str(row) % {"number": number}
        return f"{row} — {fields[field]}" if field in fields else row
    label = _labels().get(name)
    return str(label).lower() if label else str(name).replace("_", " ")


# Error keys about the whole object (its state, the move asked for): their messages stand alone.
_WHOLE = frozenset({"__all__", "status", "action", "version", "pledge"})


def error_lines(error, numbers: Mapping[str, Sequence[int]] | None = None) -> list[str]:
    """A service's ValidationError as lines a person reads, each naming its field as the form
    shows it ("Target 1 — value: Give the target value."); `numbers` as for `field_label`."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [" ".join(texts) if field in _WHOLE else f"{capfirst(field_label(field, numbers))}: {' '.join(texts)}"
            for field, texts in error.message_dict.items()]


@register.filter
def group_label(group) -> str:
    """A country group's name with its classification ("Africa — ITU region")."""
    from coalition.reference.groups import group_label as label

    return label(group)


@register.filter
def history_reason(reason: str) -> str:
    """The reason a pledge version records (a code such as `edited` or `submit`) in words; other text as it is."""
    from django.utils.translation import gettext, pgettext

    from coalition.pledges.models import Action

    words = {
        "created": pgettext("history", "created"), "edited": pgettext("history", "edited"),
        "assigned": pgettext("history", "assigned"),
        "converted": pgettext("history", "converted to US dollars at the exchange rate loaded"),
    }
    if reason in words:
        return words[reason]
    if reason in Action.values:
        return str(Action(reason).label)
    number = reason.removeprefix("revision ").removesuffix(" published")
    if reason.startswith("revision ") and reason.endswith(" published") and number.isdigit():
        return gettext("revision %(number)s published") % {"number": number}
    return reason


@register.filter
def history_value(value, name: str):
    """A recorded value as the reader reads it: status, type and scope codes by their label, a
    list of linked things (countries, focus areas…) as their names separated by semicolons, an
    empty list as nothing (shown as a dash), dates with their month's full name."""
    from coalition.pledges.models import Pledge, Status

    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value) or None
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    choices = {"status": Status, "pledge_type": Pledge.Type, "scope": Pledge.Scope}.get(name)
    if choices is not None and value in choices.values:
        return choices(value).label
    return value


@register.filter
def history_subject(subject: str) -> str:
    """What a history entry is about (`pledge`, `target “…”`, `partner …`) in the reader's language."""
    from coalition.pledges.selectors.history import history_subject_in_words

    return history_subject_in_words(subject)


def _word_diff(old: str, new: str) -> tuple[str, str]:
    """`old` and `new` as HTML with only the words that differ marked: deleted words in <del>,
    inserted ones in <ins>, everything escaped."""
    from difflib import SequenceMatcher

    from django.utils.html import escape

    before, after = re.split(r"(\s+)", str(old)), re.split(r"(\s+)", str(new))
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        removed, added = escape("".join(before[i1:i2])), escape("".join(after[j1:j2]))
        if op == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed.strip():
            old_html.append(f"<del>{removed}</del>")
        if added.strip():
            new_html.append(f"<ins>{added}</ins>")
    return "".join(old_html), "".join(new_html)


@register.filter
def diff_before(change) -> str:
    """A change's old value with the words that went marked (see `diff_after`)."""
    return mark_safe(_word_diff(change.old, change.new)[0])  # noqa: S308 - every piece is escaped


@register.filter
def diff_after(change) -> str:
    """A change's new value with the words that came marked, so a reviewer sees what moved in a
    long description without reading it twice."""
    return mark_safe(_word_diff(change.old, change.new)[1])  # noqa: S308 - every piece is escaped

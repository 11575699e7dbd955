"""`field_label`: a pledge field's name (as histories and revisions record it) in the reader's language."""

from functools import cache

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@cache
def _labels() -> dict:
    from coalition.pledges import forms  # the labels the pledger saw on the form steps

    labels = {
        "targets": _("Targets"), "partners": _("Partners"), "baseline_value": _("Baseline"), "status": _("Status"),
        "submitted_at": _("Submitted at"), "published_at": _("Published at"), "assigned_to": _("Reviewer"),
        "value_usd": _("Value in USD"), "order": _("Order"), "created_by": _("Created by"),
        "created_at": _("Created at"), "updated_at": _("Updated at"), "is_demo": _("Demo data"),
    }
    for form in (forms.BasicsForm, forms.FocusForm, forms.BeneficiariesForm, forms.AlignmentForm, forms.ValueForm,
                 forms.TargetForm, forms.PartnerForm):
        for name, field in form.base_fields.items():
            labels.setdefault(name, field.label)
    return labels


@register.filter
def field_label(name: str) -> str:
    """The form label of a pledge, target or partner field, lower-cased; other names with spaces."""
    label = _labels().get(name)
    return str(label).lower() if label else str(name).replace("_", " ")


@register.filter
def history_reason(reason: str) -> str:
    """The reason a pledge version records (a code such as `edited` or `submit`) in words; other text as it is."""
    from django.utils.translation import gettext, pgettext

    from coalition.pledges.models import Action

    words = {
        "created": pgettext("history", "created"), "edited": pgettext("history", "edited"),
        "assigned": pgettext("history", "assigned"),
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
    empty list as nothing (shown as a dash)."""
    from coalition.pledges.models import Pledge, Status

    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value) or None
    choices = {"status": Status, "pledge_type": Pledge.Type, "scope": Pledge.Scope}.get(name)
    if choices is not None and value in choices.values:
        return choices(value).label
    return value


@register.filter
def history_subject(subject: str) -> str:
    """What a history entry is about (`pledge`, `target “…”`, `partner …`) in the reader's language."""
    from coalition.pledges.selectors.history import history_subject_in_words

    return history_subject_in_words(subject)

"""The platform's base form: text fields say how long they may be the way the services do.

Django words a `max_length` as "Ensure this value has at most 300 characters (it has 10482000)";
a form built on `Form` says "Keep the title to 300 characters at most; it has 10,482,000." and
still carries the HTML `maxlength`, so browsers stop typing at the limit.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404

from coalition.common.text import too_long


class LengthLimit:
    """A form-field validator: `too_long`'s message for a text over `limit` characters."""

    code = "max_length"

    def __init__(self, limit: int, label):
        self.limit, self.label = limit, label

    def __call__(self, value) -> None:
        message = too_long(str(value), limit=self.limit, label=self.label)
        if message:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, LengthLimit) and (self.limit, str(self.label)) == (other.limit, str(other.label))


def length_limits_worded(form: forms.BaseForm) -> None:
    """Replace Django's length validator of each text field of `form` by a `LengthLimit` named
    after the field's label."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MaxLengthValidator)),
                LengthLimit(field.max_length, field.label or ""),
            ]


class Form(forms.Form):
    """A Django form whose text fields word their length limit (see `length_limits_worded`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        length_limits_worded(self)


def posted_object(request, name: str, queryset):
    """The object of `queryset` whose id is posted as `name` (a queue's "assign to me" button);
    404 for a missing or malformed id."""
    try:
        return forms.ModelChoiceField(queryset=queryset).clean(request.POST.get(name))
    except ValidationError as missing:
        raise Http404 from missing

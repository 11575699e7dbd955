"""The administration's site: Django's, with every model admin hardened against odd input.

Django's admin answers a server error in two places when a request carries identifiers that
are not identifiers (tampered with, or typed by hand): an autocomplete field re-rendered after
a validation error queries the junk value, and a bulk action filters on the selected rows'
keys as sent. Every admin registered here, Django's own and third parties' included, gets
`HardenedModelAdmin` mixed in, so the fix is made once for all of them.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.common.i18n import url_in_language
from coalition.common.lookups import KEY_RANGE


def is_key_of(field, value) -> bool:
    """Whether `value` could be a value of the key column `field`, without asking the database."""
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return not isinstance(value, int) or value in KEY_RANGE


class _KeysChecked:
    """An autocomplete widget that shows only well-formed keys among the values it is given."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        target = model._meta.get_field(getattr(self.field.remote_field, "field_name", model._meta.pk.attname))
        return super().optgroups(name, [v for v in value if v in ("", None) or is_key_of(target, v)], attr)


class SafeAutocompleteSelect(_KeysChecked, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeysChecked, AutocompleteSelectMultiple):
    pass


_SAFE = {AutocompleteSelect: SafeAutocompleteSelect, AutocompleteSelectMultiple: SafeAutocompleteSelectMultiple}


class SafeKeyWidgets:
    """Autocomplete widgets that skip malformed keys; for model admins and their inlines."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            # A RelatedFieldWidgetWrapper holds the widget that renders.
            widget = getattr(formfield.widget, "widget", formfield.widget)
            if type(widget) in _SAFE:
                widget.__class__ = _SAFE[type(widget)]
        return formfield


class HardenedModelAdmin(SafeKeyWidgets):
    """Mixed into every registered model admin (see `CoalitionAdminSite.register`)."""

    def response_action(self, request, *args, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_key_of(self.model._meta.pk, value) for value in selected):
            self.message_user(request, _("The rows selected were not understood; choose them again."),
                              messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, *args, **kwargs)


def _hardened(cls, mixin):
    return cls if issubclass(cls, mixin) else type(cls.__name__, (mixin, cls), {"__module__": cls.__module__})


class CoalitionAdminSite(admin.AdminSite):
    site_header = "Coalition administration"
    site_title = "Coalition"
    index_title = "Secretariat"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = _hardened(admin_class or admin.ModelAdmin, HardenedModelAdmin)
        admin_class.inlines = [_hardened(inline, SafeKeyWidgets) for inline in admin_class.inlines]
        super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        """"View site" leads to the home page in the admin's language (/fr/ from /fr/admin/)."""
        context = super().each_context(request)
        if context["site_url"]:
            context["site_url"] = url_in_language(context["site_url"], get_language())
        return context

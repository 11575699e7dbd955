from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition.accounts import throttle
from coalition.accounts.forms import AdminSignInForm
from coalition.accounts.models import ApiToken, CountryFocalPoint, SentNotification, User

# The admin's sign-in page counts failures and locks like the site's (accounts.throttle).
admin.site.login_form = AdminSignInForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    search_fields = ["email", "full_name", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "sign_in_lock")}),
        ("Person", {"fields": ("full_name", "first_name", "last_name", "preferred_language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined", "email_verified_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["sign_in_lock"]
    actions = ["sign_in_unlock"]

    @admin.display(description=_("sign-in lock"))
    def sign_in_lock(self, user):
        until = throttle.sign_in_locked_until(email=user.email) if user.pk else None
        if until is None:
            return _("not locked")
        return _("locked after too many failed sign-ins, until %(moment)s") % {
            "moment": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
        }

    @admin.action(
        description=_("Lift the sign-in lock and e-mail limits of the selected users"), permissions=["change"]
    )
    def sign_in_unlock(self, request, queryset):
        users = list(queryset)
        for user in users:
            throttle.throttle_clear(actor=request.user, account=user.email)
        self.message_user(
            request,
            ngettext("Lifted the limits of %(count)d user.", "Lifted the limits of %(count)d users.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(CountryFocalPoint)
class CountryFocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "approved_by", "approved_at"]
    list_select_related = ["user", "country", "approved_by"]
    search_fields = ["user__email", "user__full_name", "country__name_en"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["country", "approved_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners; here administrators see and revoke them (set "revoked at")."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    """The log that keeps notifications to once per period: read-only, written by the services."""

    list_display = ["sent_at", "kind", "recipient", "object_key", "period_key"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "object_key", "period_key"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

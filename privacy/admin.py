from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from privacy import erasure
from privacy.models import AccountClosure, DataExport, DataExportEvent


class DataExportEventInline(admin.TabularInline):
    model = DataExportEvent
    fields = ("occurred_at", "kind", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DataExport)
class DataExportAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """Who asked for a copy of their data and what became of it: read only (the copy
    itself is never shown here)."""

    change_title = pgettext_lazy("admin title, feminine noun", "Change the copy of the data")
    view_title = pgettext_lazy("admin title, feminine noun", "View the copy of the data")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected copies of data"
    )

    list_display = ("user", "state", "requested_at", "ready_at", "downloaded_at", "size")
    list_filter = ("state",)
    search_fields = ("user__email",)
    fields = ("user", "state", "size", "requested_at", "ready_at", "expires_at", "downloaded_at")
    readonly_fields = fields
    list_select_related = ("user",)
    inlines = [DataExportEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccountClosureAdminForm(forms.ModelForm):
    """An administrator closes an account on the person's written request: the reason
    says which request, and the closure waits the grace period unless told otherwise."""

    immediately = forms.BooleanField(
        label=_("Erase now, without the grace period"),
        required=False,
        help_text=_("Only when the written request asks for it: nothing can be undone."),
    )

    class Meta:
        model = AccountClosure
        fields = ("user", "certificates", "reason")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", erasure.ERROR_REASON_REQUIRED)
        user = cleaned.get("user")
        if user is not None and (user.is_staff or user.is_superuser):
            self.add_error("user", erasure.ERROR_ADMINISTRATOR)
        elif user is not None and erasure.closure_pending(user=user) is not None:
            self.add_error("user", erasure.ERROR_ALREADY_CLOSING)
        return cleaned


@admin.register(AccountClosure)
class AccountClosureAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Close an account")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the account closure")
    view_title = pgettext_lazy("admin title, feminine noun", "View the account closure")

    form = AccountClosureAdminForm
    list_display = ("pk", "state", "requested_at", "erase_after", "by_administrator", "erased_at")
    list_filter = ("state", "by_administrator")
    raw_id_fields = ("user",)
    readonly_fields = (
        "state",
        "requested_at",
        "erase_after",
        "by_administrator",
        "requested_by",
        "cancelled_at",
        "erased_at",
    )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the record of an erasure stays

    def save_model(self, request, obj, form, change):
        closure = erasure.closure_request(
            user=obj.user,
            certificates=obj.certificates,
            by_administrator=True,
            requested_by=request.user,
            reason=obj.reason,
            immediately=form.cleaned_data["immediately"],
        )
        obj.pk = closure.pk
        obj.__dict__.update({k: v for k, v in closure.__dict__.items() if not k.startswith("_")})

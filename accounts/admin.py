from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts import hooks
from accounts.admin_titles import NamedTitlesMixin
from accounts.models import OutgoingEmail, User
from accounts.services import email_retry


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"  # the admin shows every field
        field_classes = {"email": forms.EmailField}


@admin.register(User)
class UserAdmin(NamedTitlesMixin, BaseUserAdmin):
    add_title = pgettext_lazy("admin title, masculine noun", "Add a user")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the user")
    view_title = pgettext_lazy("admin title, masculine noun", "View the user")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected users"
    )

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("full_name", "email", "preferred_language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("full_name", "email")
    ordering = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "preferred_language", "workplace")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_actions(self, request):
        actions = super().get_actions(request)
        for function, permission in hooks.user_admin_actions():
            if request.user.has_perm(permission):
                actions[function.__name__] = (
                    function,
                    function.__name__,
                    function.short_description,
                )
        return actions

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """What Repère sent or is sending: a failed e-mail shows its error, and is sent again
    with the "retry" action. Read-only otherwise: e-mails are queued by the services."""

    change_title = pgettext_lazy("admin title, masculine noun", "Change the outgoing e-mail")
    view_title = pgettext_lazy("admin title, masculine noun", "View the outgoing e-mail")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected outgoing e-mails"
    )

    list_display = ("recipient", "subject", "status", "attempts", "last_error", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def retry(self, request, queryset):
        count = email_retry(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


# allauth.mfa's own admin would show the app secrets and delete devices without a reason
# or a trace: an administrator resets them from the list of users (organizations' action).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from xapi.models import LrsEndpoint, OutgoingStatement
from xapi.services import statements_retry


class LrsEndpointForm(forms.ModelForm):
    """The secret is never shown again: left blank on a change, it stays as it was."""

    statements_url = forms.URLField(
        label=_("statements endpoint"),
        assume_scheme="https",
        max_length=500,
        help_text=_("The LRS's statements resource, e.g. https://lrs.example.org/xAPI/statements"),
    )
    secret = forms.CharField(
        label=_("secret"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Basic authentication password. Leave blank to keep the current one."),
    )

    class Meta:
        model = LrsEndpoint
        fields = ("organization", "statements_url", "key", "secret", "active")

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if not secret:
            if self.instance.pk:
                return self.instance.secret
            raise forms.ValidationError(_("Enter the secret."), code="required")
        return secret


@admin.register(LrsEndpoint)
class LrsEndpointAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """An organization's learning record store (README, "xAPI")."""

    add_title = pgettext_lazy("admin title, masculine noun", "Add a learning record store")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the learning record store")
    view_title = pgettext_lazy("admin title, masculine noun", "View the learning record store")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected learning record stores"
    )

    form = LrsEndpointForm
    list_display = ("organization", "statements_url", "key", "active")
    list_filter = ("active",)
    list_select_related = ("organization",)
    search_fields = ("organization__name", "statements_url")
    autocomplete_fields = ("organization",)


@admin.register(OutgoingStatement)
class OutgoingStatementAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """What Repère sent or is sending to each LRS: a failed statement shows its error and
    is sent again with "Send again". Read-only otherwise: the events queue them."""

    change_title = pgettext_lazy("admin title, feminine noun", "Change the outgoing statement")
    view_title = pgettext_lazy("admin title, feminine noun", "View the outgoing statement")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected outgoing statements"
    )

    list_display = ("verb", "endpoint", "status", "attempts", "last_error", "created_at")
    list_filter = ("status", "verb", "created_at")
    list_select_related = ("endpoint__organization",)
    search_fields = ("statement_id", "endpoint__organization__name")
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in OutgoingStatement._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = statements_retry(statements=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d statement queued again.", "%(count)d statements queued again.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

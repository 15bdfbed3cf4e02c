"""Repère's administrators register each organization's endpoints, read their signing
secret, follow every delivery with its attempts, and send one again ("Send again")."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from webhooks.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.services import deliveries_replay


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events sent to this address."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("organization", "url", "description", "events", "active")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add a webhook address")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the webhook address")
    view_title = pgettext_lazy("admin title, feminine noun", "View the webhook address")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected webhook addresses"
    )

    form = WebhookEndpointForm
    list_display = ("url", "organization", "active", "created_at")
    list_filter = ("active",)
    list_select_related = ("organization",)
    search_fields = ("url", "organization__name", "description")
    autocomplete_fields = ("organization",)
    readonly_fields = ("secret", "created_at")

    def get_fields(self, request, obj=None):
        fields = ["organization", "url", "description", "events", "active"]
        # The secret exists once the address is saved: shown on its page from then on.
        return [*fields, "secret", "created_at"] if obj is not None else fields


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "status_code", "duration_ms", "error", "response_body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """Read-only: deliveries are recorded by the events, and sent by the task workers."""

    change_title = pgettext_lazy("admin title, masculine noun", "Change the webhook delivery")
    view_title = pgettext_lazy("admin title, masculine noun", "View the webhook delivery")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected webhook deliveries"
    )

    list_display = ("event", "endpoint", "status", "attempts", "created_at", "delivered_at")
    list_filter = ("status", "event", "created_at")
    list_select_related = ("endpoint",)
    search_fields = ("message_id", "endpoint__url", "endpoint__organization__name")
    date_hierarchy = "created_at"
    actions = ["replay"]
    inlines = [WebhookAttemptInline]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def replay(self, request, queryset):
        count = deliveries_replay(deliveries=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from oauth2_provider import models as oauth_models

from api import services
from api.models import ApiClient

# OAuth applications and tokens are managed through API clients only (their secret shown
# once, their organization and scopes), not through django-oauth-toolkit's own pages.
for model in (
    oauth_models.Application,
    oauth_models.AccessToken,
    oauth_models.Grant,
    oauth_models.IDToken,
    oauth_models.RefreshToken,
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

MESSAGE_CREATED = _(
    "API client created. Client id: %(client_id)s — client secret: %(secret)s. Copy the "
    "secret now and give it to the organization: it is stored hashed and will not be shown "
    "again."
)


class ApiClientAddForm(forms.ModelForm):
    name = forms.CharField(
        label=_("name"), max_length=255, help_text=_("The system that uses it: “Payroll HR”.")
    )

    class Meta:
        model = ApiClient
        fields = ("organization", "scopes")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "scopes", "created_at")
    list_select_related = ("application", "organization")
    search_fields = ("application__name", "organization__name")
    autocomplete_fields = ("organization",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "organization", "scopes")
        return ("client_id", "organization", "scopes", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return ("client_id", "organization", "created_at") if obj else ()

    @admin.display(description=_("client id"))
    def client_id(self, obj):
        return obj.application.client_id

    def delete_model(self, request, obj):
        # The application with it: its tokens stop working at once.
        obj.application.delete()

    def delete_queryset(self, request, queryset):
        for client in queryset.select_related("application"):
            client.application.delete()

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
            return
        created = services.api_client_create(
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        # The admin goes on with `obj` (its history entry, the redirect): make it the row saved.
        obj.pk, obj.application = created.client.pk, created.client.application
        obj.created_at = created.client.created_at
        self.message_user(
            request,
            MESSAGE_CREATED
            % {"client_id": created.client.application.client_id, "secret": created.client_secret},
            messages.WARNING,
        )

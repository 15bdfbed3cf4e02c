from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from lti_tool import models as lti_models

from lti import registration, services
from lti.models import Binding, RegistrationInvite, ScorePassback

# An LMS registration is managed here, with the organization it signs people into; keys
# through the rotation only; django-lti's other records (users, contexts) are the LMS's.
for model in (
    lti_models.LtiRegistration,
    lti_models.Key,
    lti_models.LtiDeployment,
    lti_models.LtiPlatformInstance,
    lti_models.LtiUser,
    lti_models.LtiContext,
    lti_models.LtiMembership,
    lti_models.LtiResourceLink,
    lti_models.LtiLineItem,
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _https_urls(db_field, **kwargs):
    """LMS addresses are https; a bare host typed in is taken as such."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class BindingInline(admin.StackedInline):
    model = Binding
    min_num = 1
    max_num = 1
    can_delete = False
    verbose_name = _("organization")
    verbose_name_plural = _("organization")


class DeploymentForm(forms.ModelForm):
    class Meta:
        model = lti_models.LtiDeployment
        fields = ("deployment_id", "is_active")
        formfield_callback = _https_urls
        labels = {"deployment_id": _("deployment id"), "is_active": _("active")}


class DeploymentInline(admin.TabularInline):
    model = lti_models.LtiDeployment
    form = DeploymentForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("deployment_id", "is_active")
    extra = 1
    verbose_name = _("deployment")
    verbose_name_plural = _("deployments (the LMS's deployment ids)")


class RegistrationForm(forms.ModelForm):
    """django-lti's registration, its labels in our catalogue (it has no French)."""

    class Meta:
        model = lti_models.LtiRegistration
        fields = (
            "name", "issuer", "client_id", "audience", "auth_url", "token_url", "keyset_url",
            "is_active",
        )  # fmt: skip
        formfield_callback = _https_urls
        labels = {
            "name": _("name"),
            "issuer": _("issuer"),
            "client_id": _("client id"),
            "audience": _("audience"),
            "auth_url": _("authorization URL"),
            "token_url": _("access token URL"),
            "keyset_url": _("keyset URL"),
            "is_active": _("active"),
        }
        help_texts = {
            "issuer": _("The LMS's issuer, as it gives it (its address)."),
            "audience": _("Only if the LMS asks for one other than its access token URL."),
            "keyset_url": _("The address of the LMS's public keys (JWKS)."),
        }


@admin.register(lti_models.LtiRegistration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "issuer", "client_id", "binding__organization", "is_active")
    list_select_related = ("binding__organization",)
    search_fields = ("name", "issuer", "client_id")
    fields = (
        "name",
        "issuer",
        "client_id",
        "audience",
        "auth_url",
        "token_url",
        "keyset_url",
        "is_active",
    )
    inlines = (BindingInline, DeploymentInline)


@admin.register(lti_models.Key)
class KeyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "datetime_created", "is_active")
    fields = ("datetime_created", "is_active", "public_key")
    readonly_fields = fields
    actions = ("rotate",)

    def has_add_permission(self, request):
        return False  # a key is made by the rotation, never typed in

    @admin.action(description=_("Rotate: create a new signing key"))
    def rotate(self, request, queryset):
        key, _retired = services.key_rotate()
        days = services.grace_days()
        message = ngettext(
            "New signing key %(kid)s created. The previous one stays published for %(days)d day.",
            "New signing key %(kid)s created. The previous one stays published for %(days)d days.",
            days,
        )
        self.message_user(request, message % {"kid": key, "days": days}, messages.SUCCESS)


@admin.register(ScorePassback)
class ScorePassbackAdmin(admin.ModelAdmin):
    list_display = ("lti_user", "course", "status", "attempts", "sent_at")
    list_filter = ("status",)
    list_select_related = ("lti_user", "course")
    readonly_fields = (
        "lti_user",
        "course",
        "lineitem_url",
        "scopes",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    actions = ("send_again",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(status=ScorePassback.Status.WAITING)
        services.scores_queue(passback_ids=ids)
        count = len(ids)
        self.message_user(
            request,
            ngettext("%(count)d score queued.", "%(count)d scores queued.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(RegistrationInvite)
class RegistrationInviteAdmin(admin.ModelAdmin):
    list_display = ("organization", "created_at", "expires_at", "used_at", "registration")
    list_select_related = ("organization", "registration")
    fields = ("organization",)
    autocomplete_fields = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        return ("organization", "expires_at", "used_at", "registration") if obj else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organization",)
        return ("organization", "expires_at", "used_at", "registration")

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = registration.invite_create(organization=form.cleaned_data["organization"])
        obj.pk, obj.created_at = created.invite.pk, created.invite.created_at
        url = request.build_absolute_uri(reverse("lti:register", kwargs={"token": created.token}))
        days = registration.INVITE_DAYS
        message = ngettext(
            "Give this address to the LMS administrator of %(organization)s, to enter as "
            "Repère's dynamic registration URL (valid %(days)d day, once): %(url)s",
            "Give this address to the LMS administrator of %(organization)s, to enter as "
            "Repère's dynamic registration URL (valid %(days)d days, once): %(url)s",
            days,
        )
        self.message_user(
            request,
            message % {"organization": obj.organization, "days": days, "url": url},
            messages.WARNING,
        )

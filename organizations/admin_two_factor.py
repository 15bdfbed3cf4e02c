"""The admin's reset of a person's two-factor: an action on the list of users (accounts
offers the place through `accounts.hooks.register_user_admin_action`), with a reason."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizations import services
from organizations.services.two_factor import REASON_MAX_LENGTH

# allauth.mfa's permission: whoever may delete a person's authenticators.
RESET_PERMISSION = "mfa.delete_authenticator"


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why, and how you checked it is them (for example: lost phone, confirmed by "
            "telephone with their supervisor). Kept in the access history."
        ),
    )


@admin.action(description=_("Reset two-factor (lost phone)"))
def reset_two_factor(modeladmin, request, queryset):
    form = TwoFactorResetForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        with transaction.atomic():
            reset = sum(
                1
                for user in queryset
                if services.two_factor_reset(
                    user=user, by=request.user, reason=form.cleaned_data["reason"]
                )
            )
        modeladmin.message_user(
            request,
            ngettext(
                "Two-factor reset for %(count)d person: they set it up again at their next "
                "sign-in.",
                "Two-factor reset for %(count)d people: they set it up again at their next "
                "sign-in.",
                reset,
            )
            % {"count": reset},
            messages.SUCCESS if reset else messages.WARNING,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": _("Reset two-factor"),
        "form": form,
        "people": list(queryset),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/organizations/two_factor_reset.html", context)

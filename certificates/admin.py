from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from certificates import selectors, services
from certificates.forms import NameCorrectionForm, RevokeForm
from certificates.models import Certificate, CertificateNameChange


class NameChangeInline(admin.TabularInline):
    """The history of name corrections, read-only: it is written by the service only."""

    model = CertificateNameChange
    fields = ("changed_at", "old_name", "new_name", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """Certificates are issued on completion and changed only through the revoke and
    name-correction pages, which call the services and keep the record."""

    add_title = pgettext_lazy("admin title, feminine noun", "Add a certificate")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the certificate")
    view_title = pgettext_lazy("admin title, feminine noun", "View the certificate")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected certificates"
    )

    list_display = (
        "display_code",
        "holder_name",
        "course",
        "content_version",
        "cycle",
        "issued_at",
        "expires_on",
        "status_label",
    )
    # Which version of the course's content each certificate was issued for (issue 15).
    list_filter = (
        "course",
        "content_version",
        ("revoked_at", admin.EmptyFieldListFilter),
        "expires_on",
    )
    list_select_related = ("course",)
    search_fields = ("code", "holder_name", "holder__email")
    date_hierarchy = "issued_at"
    inlines = [NameChangeInline]
    change_form_template = "admin/certificates/certificate/change_form.html"
    fields = (
        "display_code",
        "holder",
        "holder_name",
        "course",
        "cycle",
        "content_version",
        "completed_at",
        "issued_at",
        "expires_on",
        "organization",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("verification code"), ordering="code")
    def display_code(self, certificate):
        return certificate.display_code

    @admin.display(description=_("status"))
    def status_label(self, certificate):
        return certificate.current_status.label

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/revoke/", wrap(self.revoke_view), name="certificates_certificate_revoke"
            ),
            path(
                "<int:pk>/correct-name/",
                wrap(self.correct_name_view),
                name="certificates_certificate_correct_name",
            ),
            *super().get_urls(),
        ]

    def _action_view(self, request, pk, *, form_class, title, act, initial=None):
        certificate = selectors.certificate_get(pk=pk)
        if not self.has_change_permission(request, certificate):
            raise PermissionDenied
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                act(certificate, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Done: %(certificate)s") % {"certificate": certificate},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:certificates_certificate_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": certificate,
            "title": title,
            "form": form,
        }
        return TemplateResponse(request, "admin/certificates/certificate/action_form.html", context)

    def revoke_view(self, request, pk):
        def act(certificate, data):
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=data["reason"]
            )

        return self._action_view(
            request, pk, form_class=RevokeForm, title=_("Revoke the certificate"), act=act
        )

    def correct_name_view(self, request, pk):
        def act(certificate, data):
            services.certificate_correct_name(
                certificate=certificate, by=request.user, new_name=data["new_name"]
            )

        holder = selectors.certificate_get(pk=pk).holder
        return self._action_view(
            request,
            pk,
            form_class=NameCorrectionForm,
            title=_("Correct the holder's name"),
            act=act,
            initial={"new_name": holder.full_name},
        )

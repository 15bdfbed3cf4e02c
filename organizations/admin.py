from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from accounts.models import User
from organizations import services
from organizations.admin_access import save_memberships
from organizations.models import (
    Assignment,
    Membership,
    Organization,
    SignInDomain,
    SignInProvider,
)

ERROR_NOT_A_MEMBER = _("Add this person as a member of the organization first, then save.")


class _ExistingRowsAsText(forms.ModelForm):
    """Existing inline rows show who they are about as text (see the admin's `*_display`
    columns) instead of a selector: an organization of thousands renders without a query
    per row. New rows get the usual autocomplete."""

    fixed_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.fixed_fields:
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].disabled = True


class MembershipInlineForm(_ExistingRowsAsText):
    fixed_fields = ("user",)

    class Meta:
        model = Membership
        fields = ("user", "role")


class AssignmentInlineForm(_ExistingRowsAsText):
    fixed_fields = ("learner", "course")

    class Meta:
        model = Assignment
        fields = ("learner", "course", "due_on")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            _check_new_assignment(self, getattr(self, "parent_organization", None))
        return cleaned


def _check_new_assignment(form, organization):
    """What the service would refuse, as form errors rather than a crash on save."""
    learner, course = form.cleaned_data.get("learner"), form.cleaned_data.get("course")
    if (
        learner
        and organization
        and not learner.memberships.filter(organization=organization).exists()
    ):
        form.add_error("learner", ERROR_NOT_A_MEMBER)
    if course and not course.is_published:
        form.add_error("course", services.ERROR_COURSE_NOT_PUBLISHED)


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("organization", "learner", "course", "due_on")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            _check_new_assignment(self, cleaned.get("organization"))
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    extra = 0
    fields = ("user_display", "user", "role", "created_at")
    readonly_fields = ("user_display", "created_at")
    autocomplete_fields = ("user",)
    verbose_name_plural = _("members")

    def get_queryset(self, request):
        # __str__ of each row names both (the admin shows it above the row).
        return super().get_queryset(request).select_related("user", "organization")

    @admin.display(description=_("person"))
    def user_display(self, membership):
        return f"{membership.user.full_name} <{membership.user.email}>" if membership.pk else "—"


class AssignmentInline(admin.TabularInline):
    model = Assignment
    form = AssignmentInlineForm
    extra = 0
    fields = ("learner_display", "learner", "course_display", "course", "due_on", "assigned_at")
    readonly_fields = ("learner_display", "course_display", "assigned_at")
    autocomplete_fields = ("learner", "course")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learner", "course")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.parent_organization = obj
        return formset

    @admin.display(description=_("learner"))
    def learner_display(self, assignment):
        return assignment.learner.full_name if assignment.pk else "—"

    @admin.display(description=_("course"))
    def course_display(self, assignment):
        return assignment.course.title if assignment.pk else "—"


@admin.register(Organization)
class OrganizationAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add an organization")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the organization")
    view_title = pgettext_lazy("admin title, feminine noun", "View the organization")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected organizations"
    )

    list_display = ("name", "parent", "kind", "province", "member_count", "created_at")
    list_filter = ("kind", "province", "require_two_factor")
    search_fields = ("name", "memberships__user__email", "memberships__user__full_name")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("parent",)
    inlines = [MembershipInline, AssignmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(member_count=Count("memberships"))
        )

    def save_model(self, request, obj, form, change):
        """A new parent changes who sees the unit's people: the move is recorded (the
        model's `clean` has already refused a cycle)."""
        if change and "parent" in form.changed_data:
            parent = obj.parent
            obj.parent_id = form.initial.get("parent")
            super().save_model(request, obj, form, change)
            services.organization_move(
                organization=obj, parent=parent, actor=request.user, by_administrator=True
            )
            return
        super().save_model(request, obj, form, change)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, organization):
        return organization.member_count

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            return save_memberships(request, formset)
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        # New assignments go through the service: it also enrolls the learner.
        for assignment in formset.save(commit=False):
            if assignment.pk:
                assignment.save(update_fields=["due_on"])
            else:
                services.assignments_create(
                    organization=form.instance,
                    course=assignment.course,
                    learners=User.objects.filter(pk=assignment.learner_id),
                    due_on=assignment.due_on,
                    assigned_by=request.user,
                )
        for assignment in formset.deleted_objects:
            assignment.delete()


@admin.register(Assignment)
class AssignmentAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add an assignment")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the assignment")
    view_title = pgettext_lazy("admin title, feminine noun", "View the assignment")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected assignments"
    )

    form = AssignmentAdminForm
    list_display = ("learner", "course", "organization", "due_on", "assigned_at")
    list_filter = ("course", "organization__kind", "due_on")
    list_select_related = ("learner", "course", "organization")
    search_fields = ("learner__full_name", "learner__email", "organization__name")
    autocomplete_fields = ("learner", "organization", "course")
    readonly_fields = ("assigned_by", "assigned_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # to move an assignment, delete it and assign again
            return (*self.readonly_fields, "organization", "learner", "course")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        services.assignments_create(
            organization=obj.organization,
            course=obj.course,
            learners=User.objects.filter(pk=obj.learner_id),
            due_on=obj.due_on,
            assigned_by=request.user,
        )
        created = Assignment.objects.get(
            organization=obj.organization, learner_id=obj.learner_id, course=obj.course
        )
        obj.pk = created.pk


class SignInDomainForm(forms.ModelForm):
    class Meta:
        model = SignInDomain
        fields = ("domain", "unit")

    def clean_domain(self):
        return self.cleaned_data["domain"].strip().lower()


class SignInDomainInline(admin.TabularInline):
    model = SignInDomain
    form = SignInDomainForm
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(SignInProvider)
class SignInProviderAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """An organization's single sign-on (README, "Single sign-on")."""

    add_title = pgettext_lazy("admin title, masculine noun", "Add a sign-in provider")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the sign-in provider")
    view_title = pgettext_lazy("admin title, masculine noun", "View the sign-in provider")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected sign-in providers"
    )

    list_display = ("__str__", "organization", "enabled", "domain_list")
    list_filter = ("enabled",)
    list_select_related = ("social_app", "organization")
    search_fields = ("organization__name", "domains__domain", "social_app__name")
    autocomplete_fields = ("organization",)
    fields = ("organization", "social_app", "redirect_uri", "enabled", "sign_out_url")
    readonly_fields = ("redirect_uri",)
    inlines = [SignInDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("e-mail domains"))
    def domain_list(self, provider):
        return ", ".join(domain.domain for domain in provider.domains.all())

    @admin.display(description=_("addresses to give the identity provider"))
    def redirect_uri(self, provider):
        if provider is None or not provider.social_app_id:
            return _("Shown once the provider is saved.")
        app = provider.social_app
        if provider.is_saml:
            address = {
                name: settings.SITE_URL + reverse(name, args=[app.client_id])
                for name in ("saml_metadata", "saml_acs", "saml_sls")
            }
            # allauth's default entity id is the metadata address.
            entity_id = (app.settings.get("sp") or {}).get("entity_id") or address["saml_metadata"]
            rows = [
                (_("Entity id"), entity_id),
                (_("Metadata"), address["saml_metadata"]),
                (_("Assertion consumer service (ACS, HTTP-POST)"), address["saml_acs"]),
                (_("Single logout service (HTTP-Redirect)"), address["saml_sls"]),
            ]
            return format_html_join(mark_safe("<br>"), "{}: {}", rows)
        path = reverse("openid_connect_callback", kwargs={"provider_id": app.provider_id})
        return format_html("{}: {}", _("Redirect URI"), f"{settings.SITE_URL}{path}")

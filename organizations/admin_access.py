"""The admin of who may see whom: memberships (every change audited), invitations and
the audit log (read-only). Registered by organizations.admin, which imports this."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from organizations import services
from organizations.models import AuditEvent, Invitation, Membership


def _record_membership(request, membership, *, kind, before, after):
    services.audit_record(
        kind=kind,
        actor=request.user,
        organization=membership.organization,
        subject=membership.user,
        before=before,
        after=after,
        by_administrator=True,
    )


def _save_membership(request, membership, *, created: bool, previous_role: str | None):
    """An administrator's change, saved with its audit event (the admin's view runs in a
    transaction, so both are saved or neither)."""
    membership.save()
    if created:
        kind, before = AuditEvent.Kind.MEMBER_CREATED, {}
    elif previous_role != membership.role:
        kind, before = AuditEvent.Kind.ROLE_CHANGED, {"role": previous_role}
    else:
        return
    _record_membership(
        request, membership, kind=kind, before=before, after={"role": membership.role}
    )


def _delete_membership(request, membership):
    _record_membership(
        request, membership, kind=AuditEvent.Kind.MEMBER_REMOVED,
        before={"role": membership.role}, after={},
    )  # fmt: skip
    membership.delete()


def save_memberships(request, formset):
    previous = {
        pk: role
        for pk, role in Membership.objects.filter(
            pk__in=[form.instance.pk for form in formset.initial_forms if form.instance.pk]
        ).values_list("pk", "role")
    }
    for membership in formset.save(commit=False):
        _save_membership(
            request,
            membership,
            created=membership.pk is None,
            previous_role=previous.get(membership.pk),
        )
    for membership in formset.deleted_objects:
        _delete_membership(request, membership)


@admin.register(Membership)
class MembershipAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add a membership")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the membership")
    view_title = pgettext_lazy("admin title, feminine noun", "View the membership")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected memberships"
    )

    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind", "organization__province")
    list_select_related = ("user", "organization")
    search_fields = ("user__full_name", "user__email", "organization__name")
    autocomplete_fields = ("user", "organization")
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change):
        previous = Membership.objects.filter(pk=obj.pk).values_list("role", flat=True).first()
        _save_membership(request, obj, created=not change, previous_role=previous)

    def delete_model(self, request, obj):
        _delete_membership(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organization"):
            _delete_membership(request, membership)


@admin.register(Invitation)
class InvitationAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """Invitations are sent and answered on the site; here they are read, or cancelled."""

    add_title = pgettext_lazy("admin title, feminine noun", "Add an invitation")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the invitation")
    view_title = pgettext_lazy("admin title, feminine noun", "View the invitation")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected invitations"
    )

    list_display = ("email", "organization", "role", "state", "created_at", "responded_at")
    list_filter = ("state", "role")
    list_select_related = ("organization",)
    search_fields = ("email", "full_name", "organization__name")
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected invitations"))
    def cancel(self, request, queryset):
        for invitation in queryset.filter(state=Invitation.State.PENDING):
            services.invitation_cancel(
                invitation=invitation, by=request.user, by_administrator=True
            )

    def get_actions(self, request):
        # "Cancel" changes invitations: for those who may change memberships.
        actions = super().get_actions(request)
        if not request.user.has_perm("organizations.change_membership"):
            actions.pop("cancel", None)
        return actions


@admin.register(AuditEvent)
class AuditEventAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """The audit log: read-only for everyone, administrators included."""

    change_title = pgettext_lazy("admin title, masculine noun", "Change the access log event")
    view_title = pgettext_lazy("admin title, masculine noun", "View the access log event")

    list_display = (
        "occurred_at", "kind", "actor_label", "subject_label", "organization", "by_administrator",
    )  # fmt: skip
    list_filter = ("kind", "by_administrator")
    list_select_related = ("organization",)
    search_fields = ("actor_label", "subject_label", "organization__name")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from organizations.models import AuditEvent, Membership


def record_rename(sender, *, user, before, after, **kwargs):
    """A person renamed themself: one event in each of their organizations' logs (whose
    supervisors already see their name), or one for administrators if they have none."""
    organizations = list(
        Membership.objects.filter(user=user).values_list("organization_id", flat=True)
    ) or [None]
    label = f"{after} <{user.email}>"
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                kind=AuditEvent.Kind.ACCOUNT_RENAMED,
                actor=user,
                actor_label=label,
                organization_id=organization_id,
                subject=user,
                subject_label=label,
                before={"name": before},
                after={"name": after},
            )
            for organization_id in organizations
        ]
    )

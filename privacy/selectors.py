from organizations.models import Organization
from privacy.models import DataExport


def latest_export(*, user) -> DataExport | None:
    """The person's latest data export, without its bytes."""
    return DataExport.objects.filter(user=user).defer("content").first()


def privacy_contacts_for(*, user) -> list[Organization]:
    """The organizations the person is a member of that name a privacy officer (none for
    someone signed out): only members read them, as only they have an organization."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(memberships__user=user)
        .exclude(privacy_contact="")
        .distinct()
        .order_by("name", "pk")
    )

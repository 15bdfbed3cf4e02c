from django.db import transaction

from accounts.models import User
from accounts.signals import user_renamed


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, preferred_language: str, workplace: str):
    """Save the person's own profile; a change of name is announced (`user_renamed`) in
    the same transaction, so that it is recorded with it."""
    before = User.objects.filter(pk=user.pk).values_list("full_name", flat=True).first()
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.workplace = workplace
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language", "workplace"])
    if before is not None and before != full_name:
        user_renamed.send(sender=User, user=user, before=before, after=full_name)
    return user

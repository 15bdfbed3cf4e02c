from accounts.models import User


def user_update_profile(*, user: User, full_name: str, preferred_language: str, workplace: str):
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.workplace = workplace
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language", "workplace"])
    return user

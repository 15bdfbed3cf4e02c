from django.urls import path

from accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("two-factor/", two_factor_views.two_factor, name="two_factor"),
    path("two-factor/code/", two_factor_views.two_factor_authenticate, name="two_factor_code"),
    path("two-factor/set-up/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/passkeys/add/", two_factor_views.passkey_add, name="passkey_add"),
    path("two-factor/passkeys/<int:passkey_id>/", two_factor_views.passkey, name="passkey"),
    path(
        "two-factor/passkeys/<int:passkey_id>/remove/",
        two_factor_views.passkey_remove,
        name="passkey_remove",
    ),
]

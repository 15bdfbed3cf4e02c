from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's own data: what Repère holds about them (the export), the closing of
    their account (erasure after a grace period), how long each kind of record is kept
    (retention) and the privacy page. The top layer: reading and erasing a person's
    records means reading every app below it, and none of them imports it."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.hooks import register_profile_section
        from privacy import erasure_views

        register_profile_section(_my_data_section)
        register_profile_section(erasure_views.profile_section)
        user_logged_in.connect(erasure_views.warn_on_login, dispatch_uid="privacy_closing")


def _my_data_section(request):
    """The profile's "My data" section: links only, no query."""
    return "privacy/profile_section.html", {}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from accounts.signals import user_renamed
        from organizations.receivers import record_rename

        user_renamed.connect(record_rename, dispatch_uid="organizations.audit.rename")

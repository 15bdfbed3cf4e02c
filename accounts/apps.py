from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.authentication import connect_signals
        from accounts.signals import create_cache_table

        connect_signals()

        post_migrate.connect(create_cache_table, sender=self)

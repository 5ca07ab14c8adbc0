from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        from accounts import checks  # noqa: F401  (registers the deployment checks)
        from accounts.roles import roles_sync_after_migrate
        from core.adminwords import admin_words_install

        admin_words_install()

        # Housekeeping: after every migrate the role groups get exactly the declared permissions.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts-roles-sync")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from moderation.statistics import sqlite_functions_register

        # Housekeeping, not business: SQLite needs the median aggregate PostgreSQL has built in.
        connection_created.connect(sqlite_functions_register, dispatch_uid="moderation-sqlite")

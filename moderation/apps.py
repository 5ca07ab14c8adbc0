from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from moderation.lifecycle import free_texts_register, item_copies_remove
        from moderation.persondata import MODERATION_HOLDER
        from moderation.platforms import recorded  # noqa: F401  (its deployment check)
        from moderation.statistics import sqlite_functions_register
        from privacy.registry import person_data_holder_register
        from records.lifecycle import content_copy_holder_register

        # Housekeeping, not business: SQLite needs the median aggregate PostgreSQL has built in.
        connection_created.connect(sqlite_functions_register, dispatch_uid="moderation-sqlite")
        # Disposal and erasure in the register reach moderation's copies of the content.
        content_copy_holder_register(item_copies_remove)
        free_texts_register()
        # A person's data held in the queue is found, packaged and retained by privacy.
        person_data_holder_register(MODERATION_HOLDER)

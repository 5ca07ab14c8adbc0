from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # Disposal and erasure in the register reach moderation's copies of the content.
        from moderation.lifecycle import item_copies_remove
        from records.lifecycle import content_copy_holder_register

        content_copy_holder_register(item_copies_remove)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from core.sections import page_section_register
        from publishing import selectors

        # The sign-language parity, on the pages of the layer below (which cannot import us).
        page_section_register(
            "moderation_metrics",
            template="publishing/parity.html",
            context=selectors.twin_parity_context,
        )
        page_section_register(
            "public_statistics",
            template="publishing/parity.html",
            context=lambda month: selectors.twin_parity_context(year=month.year),
        )

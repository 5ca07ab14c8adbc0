from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from privacy.records_holders import RECORDS_HOLDER
        from privacy.registry import person_data_holder_register

        # The register's own holder; moderation registers its own in ModerationConfig.ready().
        person_data_holder_register(RECORDS_HOLDER)

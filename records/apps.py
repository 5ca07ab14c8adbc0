from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Public records register")

    def ready(self) -> None:
        from records.models import AccessRequest, ErasureRequest, RecordAmendment
        from records.quoting import free_text_register

        # The register's own free text that may paste an entry's words (records.quoting).
        free_text_register(RecordAmendment, "reason")
        free_text_register(AccessRequest, "scope", "decision_reason")
        free_text_register(AccessRequest.history.model, "scope", "decision_reason", history=True)
        free_text_register(ErasureRequest, "description", "answer")

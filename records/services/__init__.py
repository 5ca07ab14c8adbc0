"""Every write to the public-records register, one module per concept:

- ``registration``: registering documents, the numbered series, amendments, the description;
- ``secrecy``: secrecy markings and the OSL provision they cite;
- ``access_requests``: requests for public documents, from intake to delivery;
- ``disposal``: retention classes, legal holds and disposal runs;
- ``erasure``: GDPR erasure answers and the erasure of unlawful content;
- ``archive``: fixity audits and e-archive export;
- ``common``: what they share (locking, amendments emptied, the registrars, trigger sessions).

Callers import from ``records.services``; the names below are its public interface."""

from records.services.access_requests import (
    APPEAL_NOTICE,
    NOTICE_WINDOW,
    NOTICES_PER_WINDOW,
    PERSONAL_DATA_PROVISION,
    access_request_create,
    access_request_decide,
    access_request_deliver,
    access_request_personal_data_mask,
    access_request_received_notify,
    access_request_records_set,
    access_request_secret_since_decision,
    access_request_submit,
    access_requests_alert_due,
    access_requests_digest_send,
)
from records.services.archive import (
    fixity_audit_run,
    records_export,
)
from records.services.disposal import (
    disposal_run_approve,
    disposal_run_execute,
    disposal_run_preview,
    disposal_session,
    record_legal_hold_set,
    record_public_label,
    record_retention_set,
    retention_class_save,
)
from records.services.erasure import (
    ERASED_SUBJECT,
    erasure_request_answer,
    erasure_session,
    record_unlawful_content_erase,
)
from records.services.registration import (
    BASIS_RANK,
    POLICY_BASIS,
    REASON_RANK,
    Registration,
    record_amend,
    record_register,
    record_subject_set,
    records_register,
    registration_basis_decide,
    registration_validate,
)
from records.services.secrecy import (
    PROVISION_PATTERN,
    provision_validate,
    record_secrecy_mark,
    record_secrecy_unmark,
)

__all__ = [
    "APPEAL_NOTICE",
    "BASIS_RANK",
    "ERASED_SUBJECT",
    "NOTICES_PER_WINDOW",
    "NOTICE_WINDOW",
    "PERSONAL_DATA_PROVISION",
    "POLICY_BASIS",
    "PROVISION_PATTERN",
    "REASON_RANK",
    "Registration",
    "access_request_create",
    "access_request_decide",
    "access_request_deliver",
    "access_request_personal_data_mask",
    "access_request_received_notify",
    "access_request_records_set",
    "access_request_secret_since_decision",
    "access_request_submit",
    "access_requests_alert_due",
    "access_requests_digest_send",
    "disposal_run_approve",
    "disposal_run_execute",
    "disposal_run_preview",
    "disposal_session",
    "erasure_request_answer",
    "erasure_session",
    "fixity_audit_run",
    "provision_validate",
    "record_amend",
    "record_legal_hold_set",
    "record_public_label",
    "record_register",
    "record_retention_set",
    "record_secrecy_mark",
    "record_secrecy_unmark",
    "record_subject_set",
    "record_unlawful_content_erase",
    "records_export",
    "records_register",
    "registration_basis_decide",
    "registration_validate",
    "retention_class_save",
]

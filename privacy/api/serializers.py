from rest_framework import serializers

from privacy.choices import SubjectRequestDecision
from privacy.models import SubjectRequest

SUBJECT_REQUEST_READ_ONLY = [
    "id",
    "received_at",
    "due_on",
    "extended_due_on",
    "extension_reason",
    "status",
    "decision",
    "decided_at",
    "delivered_at",
]


class SubjectRequestSerializer(serializers.ModelSerializer):
    """A request about a person's own data; the officer decides and answers it in admin."""

    identifiers = serializers.ListField(
        child=serializers.CharField(max_length=300), allow_empty=False
    )
    # Empty until the request is decided: the schema must allow "" too.
    decision = serializers.ChoiceField(
        choices=SubjectRequestDecision.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = SubjectRequest
        fields = [
            "case_number",
            "kind",
            "requester",
            "contact",
            "identifiers",
            "description",
            *SUBJECT_REQUEST_READ_ONLY,
        ]
        read_only_fields = SUBJECT_REQUEST_READ_ONLY
        # The service says a case number is taken, in the one error format.
        extra_kwargs: dict[str, dict[str, object]] = {"case_number": {"validators": []}}

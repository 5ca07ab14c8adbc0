from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from channels_app.choices import ChannelPlatform
from channels_app.models import Channel
from records.access import Access, record_access
from records.choices import (
    AmendmentKind,
    RecordDirection,
    RegistrationReason,
    RequestDecision,
    UnlawfulContentBasis,
)
from records.models import AccessRequest, Record, RecordAmendment, RetentionClass
from records.selectors import may_see_secret, record_public_subject


class PublicRecordSerializer(serializers.ModelSerializer):
    """What anyone may read: number, date, channel, public subject; "Sekretess" when secret."""

    channel = serializers.SerializerMethodField()
    platform = serializers.ChoiceField(
        source="channel.platform",
        choices=ChannelPlatform.choices,
        allow_null=True,
        read_only=True,
        help_text=gettext_lazy(
            "The channel's platform, which tells apart channels of the same name; withheld "
            "(null) for a secret entry, as its channel is."
        ),
    )
    subject = serializers.SerializerMethodField()
    # Withheld (null) for a secret entry, as its channel is.
    direction = serializers.ChoiceField(
        choices=RecordDirection.choices, allow_null=True, read_only=True
    )

    class Meta:
        model = Record
        fields = [
            "number",
            "document_date",
            "channel",
            "platform",
            "direction",
            "subject",
            "is_secret",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_channel(self, record: Record) -> str | None:
        return None if record.is_secret else record.channel.name

    def get_subject(self, record: Record) -> str:
        return str(record_public_subject(record))

    def to_representation(self, instance: Record) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.is_secret:
            data["direction"] = data["platform"] = None
        return data


class RecordSerializer(serializers.ModelSerializer):
    """Staff view of an entry's metadata. Content is read from /content/ (and logged when
    secret); a secret entry's subject and counterparty only for registrars."""

    channel: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    retention_class: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    secrecy_marked_by: serializers.StringRelatedField = serializers.StringRelatedField(
        allow_null=True
    )
    # Empty unless the content was erased as unlawful: the schema must allow "" too.
    content_erasure_basis = serializers.ChoiceField(
        choices=UnlawfulContentBasis.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Record
        fields = [
            "id",
            "number",
            "channel",
            "source_id",
            "permalink",
            "in_reply_to",
            "direction",
            "document_date",
            "captured_at",
            "registered_at",
            "counterparty_name",
            "counterparty_handle",
            "counterparty_platform_id",
            "counterparty_protected",
            "subject",
            "public_subject",
            "sha256",
            "registration_reason",
            "registration_basis",
            "registration_rule",
            "is_secret",
            "secrecy_provision",
            "secrecy_marked_at",
            "secrecy_marked_by",
            "retention_class",
            "disposal_due",
            "legal_hold",
            "legal_hold_reason",
            "status",
            "disposed_at",
            "content_erased_at",
            "content_erasure_basis",
            "content_erasure_reference",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Record) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        viewer = request.user if request else None
        withheld = record_access(viewer, instance) in (Access.REVEALABLE, Access.SECRET)
        if withheld or (instance.counterparty_protected and not may_see_secret(viewer)):
            for key in ("counterparty_name", "counterparty_handle", "counterparty_platform_id"):
                data[key] = ""
        if withheld:
            data["subject"] = _("Secret")
            data["public_subject"] = _("Secret")
        return data


class RecordRegisterSerializer(serializers.Serializer):
    channel = serializers.SlugRelatedField(slug_field="slug", queryset=Channel.objects.all())
    source_id = serializers.CharField(max_length=200)
    document_date = serializers.DateTimeField()
    direction = serializers.ChoiceField(choices=RecordDirection.choices)
    subject = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    text = serializers.CharField(allow_blank=True, required=False, default="")
    raw_payload = serializers.DictField(required=False, default=dict)
    media = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    reason = serializers.ChoiceField(choices=RegistrationReason.choices)
    counterparty_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    counterparty_platform_id = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    counterparty_handle = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    counterparty_protected = serializers.BooleanField(required=False, default=False)
    permalink = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    retention_class = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True
    )


class RecordContentSerializer(serializers.Serializer):
    text = serializers.CharField()
    raw_payload = serializers.DictField()
    media = serializers.ListField(child=serializers.DictField())
    counterparty_name = serializers.CharField()
    counterparty_platform_id = serializers.CharField()
    counterparty_handle = serializers.CharField()
    media_files = serializers.ListField(
        child=serializers.DictField(),
        help_text=gettext_lazy(
            "The media as fetched: position, kind, status, content type, size, SHA-256, and "
            "why one is not stored."
        ),
    )
    amendments = serializers.ListField(child=serializers.DictField())


class RecordAmendSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    raw_payload = serializers.DictField(required=False, default=dict)
    reason = serializers.ChoiceField(choices=AmendmentKind.choices)
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class RecordAmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordAmendment
        fields = ["id", "kind", "occurred_at", "sha256", "reason", "created_at"]


class SecrecyMarkSerializer(serializers.Serializer):
    provision = serializers.CharField(max_length=200, allow_blank=True)


class LegalHoldSerializer(serializers.Serializer):
    hold = serializers.BooleanField()
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class RecordExportSerializer(serializers.Serializer):
    records = serializers.PrimaryKeyRelatedField(
        queryset=Record.objects.all(), many=True, allow_empty=True
    )
    title = serializers.CharField(required=False, default="", allow_blank=True)


class RetentionClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionClass
        fields = ["code", "name", "retention_years", "decision_reference", "is_example"]


ACCESS_REQUEST_READ_ONLY = [
    "id",
    "intake",
    "received_at",
    "due_on",
    "status",
    "decision",
    "decision_provision",
    "decision_reason",
    "masked_terms",
    "appeal_notice",
    "decided_at",
    "delivered_at",
]


class AccessRequestSerializer(serializers.ModelSerializer):
    """A request; it is decided and delivered through its actions, not by editing it."""

    records = serializers.PrimaryKeyRelatedField(
        queryset=Record.objects.all(), many=True, required=False
    )

    class Meta:
        model = AccessRequest
        fields = ["requester", "contact", "scope", "records", *ACCESS_REQUEST_READ_ONLY]
        read_only_fields = ACCESS_REQUEST_READ_ONLY


class AccessRequestRecordsSerializer(serializers.Serializer):
    records = serializers.PrimaryKeyRelatedField(queryset=Record.objects.all(), many=True)


class AccessRequestDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=RequestDecision.choices)
    provision = serializers.CharField(required=False, default="", allow_blank=True)
    reason = serializers.CharField(required=False, default="", allow_blank=True)
    masked_terms = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )

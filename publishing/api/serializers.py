from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from channels_app.models import Channel
from publishing import checks, services
from publishing.models import Post, PostMedia, TwinPlan
from publishing.platforms import media_url


class PostMediaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    has_captions = serializers.SerializerMethodField()

    class Meta:
        model = PostMedia
        fields = ["id", "kind", "url", "alt_text", "has_captions", "order"]

    def get_url(self, media: PostMedia) -> str:
        return media_url(media.file)

    def get_has_captions(self, media: PostMedia) -> bool:
        return bool(media.captions)


class TwinPlanSerializer(serializers.ModelSerializer):
    twin_channel: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = TwinPlan
        fields = ["twin_channel", "due_on", "status", "signed_post", "reason", "closed_at"]


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    blocking = serializers.BooleanField()


class PostSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", queryset=Channel.objects.all())
    media = PostMediaSerializer(many=True, read_only=True)
    twin_plan = TwinPlanSerializer(read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "channel",
            "text",
            "link_url",
            "link_text",
            "planned_at",
            "lix_limit",
            "status",
            "author",
            "approved_by",
            "approved_at",
            "media",
            "findings",
            "twin_plan",
            "attempts",
            "last_answer",
            "last_status_code",
            "external_id",
            "permalink",
            "published_at",
            "record",
            "withdrawn_reason",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f not in services.POST_FIELDS]
        validators: list = []  # the services give the Swedish messages

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, post: Post) -> list[dict[str, Any]]:
        """What the checks before approval say (blocking findings stop approval)."""
        return [vars(f) for f in checks.post_findings(post, post.media.all())]


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)

from django.db.models.fields.files import FieldFile
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from podcasts.media import absolute_url, file_url
from podcasts.models import Episode, EpisodeGuest, Show


def _url(file: FieldFile) -> str | None:
    return file_url(file) if file else None


class ShowSerializer(serializers.ModelSerializer):
    artwork = serializers.FileField(write_only=True, required=False)
    artwork_url = serializers.SerializerMethodField()
    feed_url = serializers.CharField(read_only=True)
    video_feed_url = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Show
        fields = [
            "id",
            "channel",
            "sign_language_channel",
            "title",
            "slug",
            "description",
            "owner_units",
            "author",
            "owner_name",
            "owner_email",
            "artwork",
            "artwork_url",
            "artwork_alt",
            "apple_category",
            "language",
            "explicit",
            "show_type",
            "status",
            "update_frequency_text",
            "apple_podcasts_url",
            "spotify_url",
            "copyright",
            "podcast_guid",
            "video_podcast_guid",
            "feed_url",
            "video_feed_url",
            "page_url",
            "updated_at",
        ]
        read_only_fields = ["podcast_guid", "video_podcast_guid", "updated_at"]
        validators: list = []  # the model's clean() gives the Swedish messages

    @extend_schema_field(OpenApiTypes.URI)
    def get_artwork_url(self, show: Show) -> str | None:
        return _url(show.artwork)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, show: Show) -> str:
        return absolute_url(show.get_absolute_url())


class EpisodeGuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = EpisodeGuest
        fields = ["name", "job_title", "unit"]


class EpisodeSerializer(serializers.ModelSerializer):
    show = serializers.SlugRelatedField(slug_field="slug", queryset=Show.objects.all())
    guests = EpisodeGuestSerializer(many=True, required=False)
    audio = serializers.FileField(write_only=True, required=False)
    transcript = serializers.FileField(write_only=True, required=False)
    sign_language_video = serializers.FileField(write_only=True, required=False)
    audio_url = serializers.SerializerMethodField()
    transcript_url = serializers.SerializerMethodField()
    sign_language_video_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Episode
        fields = [
            "id",
            "show",
            "number",
            "season",
            "episode_type",
            "title",
            "description",
            "explicit",
            "guests",
            "guid",
            "status",
            "publish_at",
            "published_at",
            "audio",
            "audio_url",
            "audio_type",
            "audio_size",
            "audio_duration",
            "audio_bitrate",
            "transcript",
            "transcript_url",
            "sign_language_video",
            "sign_language_video_url",
            "sign_language_video_size",
            "page_url",
            "updated_at",
        ]
        read_only_fields = [
            "guid",
            "status",
            "published_at",
            "audio_type",
            "audio_size",
            "audio_duration",
            "audio_bitrate",
            "sign_language_video_size",
            "updated_at",
        ]
        validators: list = []  # the model's clean() gives the Swedish messages

    @extend_schema_field(OpenApiTypes.URI)
    def get_audio_url(self, episode: Episode) -> str | None:
        return _url(episode.audio)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_transcript_url(self, episode: Episode) -> str | None:
        return _url(episode.transcript)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_sign_language_video_url(self, episode: Episode) -> str | None:
        return _url(episode.sign_language_video)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, episode: Episode) -> str:
        return absolute_url(episode.get_absolute_url())


class EpisodeScheduleSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField()

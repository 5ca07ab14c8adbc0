"""Posts and their media for the tests, made through the services as an editor would."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from publishing import services
from publishing.models import Post, PostMedia
from tests.channels_app.factories import image_file

CAPTIONS = (
    "WEBVTT\n\n00:00.000 --> 00:03.500\nVälkommen till Örebro kommun.\n\n"
    "00:03.500 --> 00:07.000\nSå här sorterar du julklappspapper.\n"
).encode()
TEXT = "Nu öppnar skridskobanan på Stortorget. Välkommen att åka!"


def captions_file(data: bytes = CAPTIONS, name: str = "text.vtt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/vtt")


def video_file(name: str = "film.mp4", size: int = 2048) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * size, "video/mp4")


def draft(channel: Channel, author: User, **fields: Any) -> Post:
    fields.setdefault("text", TEXT)
    return services.post_create(channel=channel, actor=author, **fields)


def add_image(post: Post, author: User, alt_text: str = "Skridskoåkare på Stortorget") -> PostMedia:
    return services.post_media_add(
        post=post, kind="image", file=image_file(), alt_text=alt_text, actor=author
    )


def in_an_hour() -> Any:
    return timezone.now() + timedelta(hours=1)


def add_video(post: Post, author: User) -> PostMedia:
    """A video with its Swedish captions."""
    return services.post_media_add(
        post=post, kind="video", file=video_file(), captions=captions_file(), actor=author
    )


def approved(
    channel: Channel,
    author: User,
    approver: User,
    *,
    image: bool = True,
    video: bool = False,
    **fields: Any,
) -> Post:
    """A post submitted and approved, with an image (``image=False``: text alone), or with a
    video and its captions instead (``video=True``)."""
    post = draft(channel, author, **fields)
    if video:
        add_video(post, author)
    elif image:
        add_image(post, author)
    services.post_submit(post=post, actor=author)
    return services.post_approve(post=post, actor=approver)

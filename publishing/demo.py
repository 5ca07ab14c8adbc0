"""The demo's own posts (``make run``): one in each state of the way to the platforms, across
channels, made through the services by the two demo editors. The Facebook and Instagram
accounts are connected to the platforms' recorded answers (moderation.platforms.recorded), so
the published post went out as it would on the platform, is registered as drawn up, and its
sign-language plan is open; a post a newcomer plans goes out at its time the same way."""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.services import system_user
from channels_app.models import Channel
from channels_app.services import channel_update
from moderation.platforms.connections import channel_connection_save, connection_of
from moderation.platforms.recorded import recorded_answers_folder
from publishing import services
from publishing.choices import PostStatus
from publishing.models import Post
from publishing.sending import posts_send

AUTHOR = "editor@demo.orebro.se"
APPROVER = "editor2@demo.orebro.se"
# The accounts of the recorded answers (tests/fixtures/platforms/publishing/).
DEMO_ACCOUNTS = {
    "facebook-orebro-kommun": "104857600000001",
    "instagram-orebrokommun": "17841400000000001",
}
DEMO_TOKEN = "demo-recorded-answers-only"


@dataclass(frozen=True)
class DemoPost:
    channel: str
    text: str
    status: str
    alt_text: str = ""
    link_url: str = ""
    link_text: str = ""


DEMO_POSTS = [
    DemoPost(
        "facebook-orebro-kommun",
        "Snöröjningen i Vivalla börjar i natt. Flytta bilen från gatan före klockan 22, så "
        "kommer plogbilarna fram.",
        PostStatus.PUBLISHED,
        alt_text="En plogbil röjer snö på en gata i Vivalla i kvällsljus.",
    ),
    DemoPost(
        "facebook-orebro-kommun",
        "Julmarknaden på Stortorget öppnar i helgen. Välkommen att handla hantverk och "
        "lyssna på kören från Karolinska skolan!",
        PostStatus.SCHEDULED,
        alt_text="Marknadsstånd med julbelysning på Stortorget.",
    ),
    DemoPost(
        "linkedin-orebro-kommun",
        "Vi söker socialsekreterare till försörjningsstödet. Här gör du skillnad för "
        "örebroare varje dag.",
        PostStatus.IN_REVIEW,
        link_url="https://www.orebro.se/jobb",
        link_text="Lediga jobb i Örebro kommun",
    ),
    DemoPost(
        "instagram-orebrokommun",
        "Veckans stafettvärd visar hur en dag på Naturens hus ser ut. Följ med!",
        PostStatus.DRAFT,
        alt_text="Två barn tittar på en skalbagge genom ett förstoringsglas.",
    ),
]


def _image(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (32, 86, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _connect(channels: dict[str, Channel], actor: User) -> None:
    """The Meta accounts answer from the recordings: an account id and a stand-in token."""
    for slug, account_id in DEMO_ACCOUNTS.items():
        channel = channels[slug]
        if not channel.platform_account_id:
            channel_update(channel=channel, platform_account_id=account_id, actor=actor)
        if not connection_of(channel).has_token:
            channel_connection_save(channel=channel, access_token=DEMO_TOKEN, actor=actor)


def _tomorrow_at_ten(now: datetime) -> datetime:
    return timezone.localtime(now + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )


def _make(spec: DemoPost, channel: Channel, author: User, approver: User, now: datetime) -> None:
    planned = _tomorrow_at_ten(now) if spec.status == PostStatus.SCHEDULED else None
    post = services.post_create(
        channel=channel,
        text=spec.text,
        link_url=spec.link_url,
        link_text=spec.link_text,
        planned_at=planned,
        actor=author,
    )
    if spec.alt_text:
        services.post_media_add(
            post=post, kind="image", file=_image("demo.jpg"), alt_text=spec.alt_text, actor=author
        )
    if spec.status == PostStatus.DRAFT:
        return
    services.post_submit(post=post, actor=author)
    if spec.status == PostStatus.IN_REVIEW:
        return
    services.post_approve(post=post, actor=approver)
    if spec.status == PostStatus.PUBLISHED:
        services.post_publish(post=post, actor=approver)
        posts_send(post_ids=[post.pk], actor=system_user())


def demo_posts_seed(*, now: datetime) -> int:
    """Make the demo posts not made yet; returns how many were made. Refused unless the
    platforms answer from their recordings (nothing of the demo may reach a platform)."""
    if recorded_answers_folder() is None:
        raise RuntimeError("The demo posts need the platforms' recorded answers.")
    actor = system_user()
    author = User.objects.get(email=AUTHOR)
    approver = User.objects.get(email=APPROVER)
    channels = {c.slug: c for c in Channel.objects.filter(slug__in=[p.channel for p in DEMO_POSTS])}
    _connect(channels, actor)
    made = 0
    for spec in DEMO_POSTS:
        channel = Channel.objects.select_related("connection").get(slug=spec.channel)
        if Post.objects.filter(channel=channel, text=spec.text).exists():
            continue
        _make(spec, channel, author, approver, now)
        made += 1
    return made

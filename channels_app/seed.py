"""Every account the municipality's page names, with purposes worded from the page."""

from datetime import timedelta

from channels_app.choices import ChannelPlatform as P
from channels_app.choices import ChannelRecordsPolicy, ChannelRole, ChannelStatus
from channels_app.models import Channel
from config.seedpage import paragraph, upsert

SIGN_LANGUAGE = "Örebro kommun – Teckenspråk"


def _channels() -> list[dict]:
    return [
        {
            "slug": "facebook-orebro-kommun",
            "platform": P.FACEBOOK,
            "name": "Örebro kommun",
            "role": ChannelRole.OFFICIAL,
            "url": "https://www.facebook.com/orebrokommun",
            "purpose": paragraph("Facebook", "Örebro kommuns officiella konto på Facebook"),
            "order": 1,
        },
        {
            "slug": "facebook-orebro-kommun-teckensprak",
            "platform": P.FACEBOOK,
            "name": SIGN_LANGUAGE,
            "role": ChannelRole.SIGN_LANGUAGE,
            "purpose": paragraph("Facebook", "Utöver Örebro kommuns officiella konto"),
            "order": 2,
            "twin_of": "facebook-orebro-kommun",
        },
        {
            "slug": "instagram-orebrokommun",
            "platform": P.INSTAGRAM,
            "name": "@orebrokommun",
            "handle": "@orebrokommun",
            "role": ChannelRole.RELAY,
            "url": "https://www.instagram.com/orebrokommun/",
            "purpose": paragraph("Instagram", "Örebro kommuns officiella Instagramkonto"),
            "order": 1,
        },
        {
            "slug": "instagram-tborebro",
            "platform": P.INSTAGRAM,
            "name": "Tillbakablick Örebro",
            "handle": "@tborebro",
            "role": ChannelRole.ARCHIVE,
            "url": "https://www.instagram.com/tborebro/",
            "purpose": paragraph("Instagram", "Örebro kommuns centrala konto Tillbakablick"),
            "order": 2,
        },
        {
            "slug": "instagram-orebro-kommun-teckensprak",
            "platform": P.INSTAGRAM,
            "name": SIGN_LANGUAGE,
            "role": ChannelRole.SIGN_LANGUAGE,
            "purpose": paragraph("Instagram", "På Instagram finns även"),
            "order": 3,
            "twin_of": "instagram-orebrokommun",
        },
        {
            "slug": "linkedin-orebro-kommun",
            "platform": P.LINKEDIN,
            "name": "Örebro kommun",
            "role": ChannelRole.OFFICIAL,
            "url": "https://www.linkedin.com/company/orebro-kommun/",
            "purpose": paragraph("LinkedIn", "Med Örebro kommuns närvaro på LinkedIn"),
            "audience": "Vi vänder oss främst till jobbsökande samt interna medarbetare.",
            "order": 1,
        },
        {
            "slug": "youtube-orebro-kommun",
            "platform": P.YOUTUBE,
            "name": "Örebro kommun",
            "role": ChannelRole.OFFICIAL,
            "url": "https://www.youtube.com/@orebrokommun",
            "purpose": paragraph("Youtube", "Örebro kommun har ett centralt konton på Youtube"),
            "order": 1,
        },
        {
            "slug": "podcast-vardagshjaltarna",
            "platform": P.PODCAST,
            "name": "Vardagshjältarna",
            "role": ChannelRole.PODCAST,
            "purpose": paragraph("Poddar", "Podden Vardagshjältarna"),
            "order": 1,
        },
        {
            "slug": "podcast-sveriges-viktigaste-chefspodd",
            "platform": P.PODCAST,
            "name": "Sveriges viktigaste chefspodd",
            "role": ChannelRole.PODCAST,
            "status": ChannelStatus.PAUSED,
            "purpose": paragraph("Poddar", "Podden Sveriges viktigaste chefspodd"),
            "order": 2,
        },
        {
            "slug": "podcast-tonarstiden",
            "platform": P.PODCAST,
            "name": "Tonårstiden – Hur svårt kan det va?",
            "role": ChannelRole.PODCAST,
            "owning_unit": "Föräldrastöd och Fältgruppen",
            "purpose": paragraph("Poddar", "Podden Tonårstiden - Hur svårt kan det va? riktar"),
            "order": 3,
        },
        {
            "slug": "podcast-tonarstiden-teckensprak",
            "platform": P.PODCAST,
            "name": "Tonårstiden – Hur svårt kan det va? (teckenspråkstolkad)",
            "role": ChannelRole.SIGN_LANGUAGE,
            "owning_unit": "Föräldrastöd och Fältgruppen",
            "purpose": paragraph("Poddar", "Podden Tonårstiden – Hur svårt kan det va? finns även"),
            "order": 4,
            "twin_of": "podcast-tonarstiden",
        },
    ]


def run() -> str:
    changed = 0
    for spec in _channels():
        spec = dict(spec)
        slug = spec.pop("slug")
        twin_of = spec.pop("twin_of", None)
        spec.setdefault("status", ChannelStatus.ACTIVE)
        spec.setdefault("records_policy", ChannelRecordsPolicy.REGISTER_MODERATED)
        spec.setdefault("supervision_interval", timedelta(hours=24))
        if twin_of:
            spec["sign_language_counterpart"] = Channel.objects.get(slug=twin_of)
        _, was_changed = upsert(Channel, {"slug": slug}, spec)
        changed += was_changed
    return f"{Channel.objects.count()} channels ({changed} created or updated)"

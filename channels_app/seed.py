"""Every account the municipality's page names, with purposes worded from the page."""

import re
from datetime import timedelta

from channels_app.choices import AudienceMetric as Metric
from channels_app.choices import ChannelPlatform as P
from channels_app.choices import ChannelRecordsPolicy, ChannelRole, ChannelStatus
from channels_app.models import AudienceFact, Channel
from config.seedpage import paragraph, upsert

SIGN_LANGUAGE = "Örebro kommun – Teckenspråk"
SOURCE = "Svenskarna och internet 2021"
SOURCE_YEAR = 2021


def sentence(heading: str, starts_with: str, containing: str) -> str:
    """The one sentence of a paragraph (see ``paragraph``) that contains ``containing``."""
    text = paragraph(heading, starts_with)
    matches = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text) if containing in s]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} sentences in {heading!r} contain {containing!r}")
    return matches[0]


TONARSTIDEN_AUDIENCE = ("Poddar", "Podden Tonårstiden - Hur svårt kan det va? riktar", "riktar")


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
            "audience": sentence("LinkedIn", "Med Örebro kommuns närvaro", "Vi vänder oss"),
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
            "audience": sentence("Poddar", "Podden Vardagshjältarna", "för dig som"),
            "order": 1,
        },
        {
            "slug": "podcast-sveriges-viktigaste-chefspodd",
            "platform": P.PODCAST,
            "name": "Sveriges viktigaste chefspodd",
            "role": ChannelRole.PODCAST,
            "status": ChannelStatus.PAUSED,
            "purpose": paragraph("Poddar", "Podden Sveriges viktigaste chefspodd"),
            "audience": sentence("Poddar", "Podden Sveriges viktigaste chefspodd", "riktar sig"),
            "order": 2,
        },
        {
            "slug": "podcast-tonarstiden",
            "platform": P.PODCAST,
            "name": "Tonårstiden – Hur svårt kan det va?",
            "role": ChannelRole.PODCAST,
            "owning_unit": "Föräldrastöd och Fältgruppen",
            "purpose": paragraph("Poddar", "Podden Tonårstiden - Hur svårt kan det va? riktar"),
            "audience": sentence(*TONARSTIDEN_AUDIENCE),
            "order": 3,
        },
        {
            "slug": "podcast-tonarstiden-teckensprak",
            "platform": P.PODCAST,
            "name": "Tonårstiden – Hur svårt kan det va? (teckenspråkstolkad)",
            "role": ChannelRole.SIGN_LANGUAGE,
            "owning_unit": "Föräldrastöd och Fältgruppen",
            "purpose": paragraph("Poddar", "Podden Tonårstiden – Hur svårt kan det va? finns även"),
            "audience": sentence(*TONARSTIDEN_AUDIENCE),
            "order": 4,
            "twin_of": "podcast-tonarstiden",
        },
    ]


def _facts() -> list[dict]:
    """The page's figures (Svenskarna och internet 2021), cohorts and values as it words them."""
    return [
        {"platform": P.FACEBOOK, "cohort": "16 år eller äldre", "metric": Metric.PAST_YEAR,
         "value": "8 av 10"},
        {"platform": P.FACEBOOK, "cohort": "16 år eller äldre", "metric": Metric.DAILY,
         "value": "6 av 10"},
        {"platform": P.INSTAGRAM, "cohort": "90-talisterna", "metric": Metric.RANK, "value": "1"},
        {"platform": P.INSTAGRAM, "cohort": "80-talisterna", "metric": Metric.RANK, "value": "2"},
        {"platform": P.INSTAGRAM, "cohort": "00-talisterna", "metric": Metric.RANK, "value": "3"},
        {"platform": P.YOUTUBE, "cohort": "00-talister", "metric": Metric.PAST_YEAR,
         "value": "95 procent"},
        {"platform": P.YOUTUBE, "cohort": "90-talister", "metric": Metric.PAST_YEAR,
         "value": "95 procent"},
        {"platform": P.YOUTUBE, "cohort": "80-talisterna", "metric": Metric.PAST_YEAR,
         "value": "9 av 10"},
    ]  # fmt: skip


def _facts_seed() -> int:
    changed = 0
    for order, fact in enumerate(_facts(), start=1):
        lookup = {key: fact[key] for key in ("platform", "cohort", "metric")}
        lookup |= {"source": SOURCE, "year": SOURCE_YEAR}
        _, was_changed = upsert(AudienceFact, lookup, {"value": fact["value"], "order": order})
        changed += was_changed
    return changed


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
    facts = _facts_seed()
    return (
        f"{Channel.objects.count()} channels ({changed} created or updated), "
        f"{AudienceFact.objects.count()} audience facts ({facts} created or updated)"
    )

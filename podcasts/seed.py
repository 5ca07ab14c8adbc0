"""The three shows the page names, each on its channel of the register, described in the
page's own words; the paused show tells the apps so in the page's words too."""

from django.conf import settings

from channels_app.models import Channel
from config.seedpage import paragraph, upsert
from podcasts.choices import ShowStatus
from podcasts.models import Show

PAUSED = "Just nu är podden pausad men alla tidigare avsnitt finns kvar att lyssna på."


def _shows() -> list[dict]:
    chefspodd = paragraph("Poddar", "Podden Sveriges viktigaste chefspodd")
    assert PAUSED in chefspodd  # the page's own sentence, so it is quoted exactly
    return [
        {
            "slug": "vardagshjaltarna",
            "channel": "podcast-vardagshjaltarna",
            "title": "Vardagshjältarna",
            "description": paragraph("Poddar", "Podden Vardagshjältarna"),
            "apple_category": "Business › Careers",
            "order": 1,
        },
        {
            "slug": "sveriges-viktigaste-chefspodd",
            "channel": "podcast-sveriges-viktigaste-chefspodd",
            "title": "Sveriges viktigaste chefspodd",
            "description": chefspodd,
            "apple_category": "Business › Management",
            "status": ShowStatus.PAUSED,
            "update_frequency_text": PAUSED,
            "order": 2,
        },
        {
            "slug": "tonarstiden",
            "channel": "podcast-tonarstiden",
            "sign_language_channel": "podcast-tonarstiden-teckensprak",
            "title": "Tonårstiden – Hur svårt kan det va?",
            "description": paragraph("Poddar", "Podden Tonårstiden - Hur svårt kan det va? riktar"),
            "owner_units": "Föräldrastöd och Fältgruppen",
            "apple_category": "Kids & Family › Parenting",
            "order": 3,
        },
    ]


def run() -> str:
    changed = 0
    for spec in _shows():
        spec = dict(spec)
        slug = spec.pop("slug")
        spec["channel"] = Channel.objects.get(slug=spec["channel"])
        twin = spec.pop("sign_language_channel", None)
        spec["sign_language_channel"] = Channel.objects.get(slug=twin) if twin else None
        spec.setdefault("status", ShowStatus.ACTIVE)
        spec.setdefault("update_frequency_text", "")
        spec.setdefault("owner_units", "")
        spec["owner_email"] = settings.PODCASTS_OWNER_EMAIL
        _, was_changed = upsert(Show, {"slug": slug}, spec)
        changed += was_changed
    return f"{Show.objects.count()} shows ({changed} created or updated)"

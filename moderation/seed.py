"""The eight published grounds for removing content, worded as on the municipality's page."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.services import system_user
from channels_app.models import Channel
from core.seedpage import HEADINGS, INTRODUCTION, bullets, paragraph, upsert
from moderation.choices import ItemEvent
from moderation.models import Ground, Item, ReplyTemplate, ThreatTerm, Word
from moderation.platforms.base import NormalizedItem
from moderation.threat_defaults import default_terms

BRB = "brottsbalken"
PERSONAL_DATA = HEADINGS[6]  # "Personuppgifter på sociala medier", the page's heading
GROUNDS = [
    # code, legal basis, mandatory removal, rationale required, police report
    (
        "threat-incitement",
        f"Lag (1998:112) 5 §; 4 kap. 5 § {BRB} (olaga hot), 16 kap. 5 § {BRB} (uppvigling).",
        True,
        False,
        True,
    ),
    (
        "incitement-to-crime",
        f"Lag (1998:112) 5 §; 16 kap. 5 § {BRB} (uppvigling).",
        True,
        False,
        True,
    ),
    (
        "harassment",
        f"Lag (1998:112) 5 §; 4 kap. 6 c § {BRB} (olaga integritetsintrång), 16 kap. 8 § {BRB} "
        "(hets mot folkgrupp); kränkningar och förolämpningar enligt kommunens riktlinjer.",
        True,
        False,
        False,
    ),
    (
        "violence-pornography",
        f"Lag (1998:112) 5 §; 16 kap. 10 a § {BRB} (barnpornografibrott), 16 kap. 10 c § {BRB} "
        "(olaga våldsskildring).",
        True,
        False,
        True,
    ),
    (
        "copyright",
        "Lag (1998:112) 5 §; lag (1960:729) om upphovsrätt till litterära och konstnärliga verk.",
        True,
        False,
        False,
    ),
    (
        "sensitive-information",
        "Offentlighets- och sekretesslagen (2009:400); kommunens riktlinjer för sociala medier.",
        False,
        False,
        False,
    ),
    (
        "marketing",
        "Regeringsformen 1 kap. 9 § (saklighet och opartiskhet); kommunens riktlinjer.",
        False,
        True,
        False,
    ),
    (
        "political",
        "Regeringsformen 1 kap. 9 § (saklighet och opartiskhet); kommunens riktlinjer.",
        False,
        True,
        False,
    ),
]


# A narrower ground under "olaga våldsskildringar, pornografi och barnpornografi": the content
# itself must never be kept (possessing it is a crime), only metadata and platform ids.
CHILD_ABUSE = {
    "code": "child-abuse-material",
    "parent_code": "violence-pornography",
    "wording": "barnpornografi",
    "legal_basis": f"Lag (1998:112) 5 §; 16 kap. 10 a § {BRB} (barnpornografibrott).",
}


def _grounds() -> None:
    wordings = bullets(INTRODUCTION)
    if len(wordings) != len(GROUNDS):
        raise ValueError(f"The page lists {len(wordings)} rules, the seed knows {len(GROUNDS)}.")
    for order, (wording, (code, basis, mandatory, rationale, police)) in enumerate(
        zip(wordings, GROUNDS, strict=True), start=1
    ):
        upsert(
            Ground,
            {"code": code},
            {
                "order": order,
                "wording": wording,
                "legal_basis": basis,
                "mandatory_removal": mandatory,
                "requires_rationale": rationale,
                "police_report": police,
            },
        )
    parent = Ground.objects.get(code=CHILD_ABUSE["parent_code"])
    upsert(
        Ground,
        {"code": CHILD_ABUSE["code"]},
        {
            "order": parent.order,
            "parent": parent,
            "wording": CHILD_ABUSE["wording"],
            "legal_basis": CHILD_ABUSE["legal_basis"],
            "mandatory_removal": True,
            "requires_rationale": False,
            "police_report": True,
            "store_content": False,
        },
    )


def _reply_templates() -> None:
    """The answer to an item with a personal identity number: the page's own paragraph that
    refers to Servicecenter 019-21 10 00, under the page's heading on personal data."""
    upsert(
        ReplyTemplate,
        {"code": "personnummer"},
        {
            "title": PERSONAL_DATA,
            "text": paragraph(INTRODUCTION, "Sociala medier ska inte användas"),
        },
    )


def _threat_lexicon() -> int:
    """The threat detector's starting lexicon: terms missing are added; what editors changed
    or switched off stays as they left it."""
    stored = set(ThreatTerm.objects.values_list("category", "term"))
    missing = [
        ThreatTerm(category=category, term=term)
        for category, term in default_terms()
        if (category, term) not in stored
    ]
    bulk_create_with_history(missing, ThreatTerm)
    return len(missing)


# Demo only (local settings): a starting word list and comments on the seeded channels, so that
# the queue has something to show. Every id and name says "demo".
DEMO_WORDS = [
    ("banned", "hora", "harassment"),
    ("suspect", "idiot", "harassment"),
    ("suspect", "jävla", "harassment"),
    ("suspect", "rabatt", "marketing"),
]
DEMO_POST = "Nu har vinterns första snö kommit! Så här prioriterar vi snöröjningen i kommunen."
DEMO_ITEMS = [
    # channel slug, id, kind, parent id, author, minutes ago, text
    ("facebook-orebro-kommun", "post-1", "post", None, None, 300, DEMO_POST),
    (
        "facebook-orebro-kommun",
        "c-1",
        "comment",
        "post-1",
        "Anna Lindqvist",
        240,
        "När kommer plogbilen till Adolfsberg? Det har inte plogats på två dagar och bussen "
        "kommer inte fram.",
    ),
    (
        "facebook-orebro-kommun",
        "c-2",
        "reply",
        "c-1",
        "Per Ekström",
        230,
        "Samma här på Mosås, ingen plogbil i sikte än. 😕",
    ),
    (
        "facebook-orebro-kommun",
        "c-3",
        "comment",
        "post-1",
        "Lena Berg",
        200,
        "Hej! Jag har fortfarande inte fått svar om min ansökan om färdtjänst. Mitt personnummer "
        "är 19121212-1212, kan ni kolla?",
    ),
    (
        "facebook-orebro-kommun",
        "c-4",
        "comment",
        "post-1",
        "Kalle Anka",
        150,
        "Ni på kommunen är ena jävla idioter. Någon borde skjuta er allihop.",
    ),
    (
        "facebook-orebro-kommun",
        "c-5",
        "comment",
        "post-1",
        "Solkraft Sverige AB",
        120,
        "Billiga solceller! Besök www.solkraft-erbjudande.se och få 20 % rabatt i dag.",
    ),
    (
        "facebook-orebro-kommun",
        "c-6",
        "comment",
        "post-1",
        "Erik Nilsson",
        90,
        "Rösta bort de styrande i höst, de har förstört Örebro!",
    ),
    (
        "facebook-orebro-kommun",
        "dm-1",
        "message",
        None,
        "Sara Holm",
        60,
        "Hej, min dotter gick på förskolan i dag och kom hem med en skada. Vem ska jag kontakta? "
        "Ni kan nå mig på 070-123 45 67.",
    ),
    (
        "instagram-orebrokommun",
        "ig-1",
        "comment",
        None,
        "hannah.orebro",
        180,
        "Så fint! Var är bilden tagen? 😍",
    ),
    (
        "instagram-orebrokommun",
        "ig-2",
        "comment",
        None,
        "mohammed_s",
        45,
        "Tack för en fin vecka på stafettkontot! ‏شكرا 🙏",
    ),
    (
        "instagram-tborebro",
        "tb-1",
        "comment",
        None,
        "gamla.orebro",
        30,
        "Min morfar står nog längst till vänster på bilden från Stortorget 1952!",
    ),
    (
        "youtube-orebro-kommun",
        "yt-1",
        "comment",
        None,
        "Johan P",
        20,
        "Bra video men ljudet är lite lågt i början.",
    ),
    (
        "linkedin-orebro-kommun",
        "li-1",
        "comment",
        None,
        "Maria Svensson",
        10,
        "Spännande tjänst! Finns det möjlighet till distansarbete?",
    ),
]


def _demo() -> int:
    from moderation.services import moderation_item_intake

    grounds = {g.code: g for g in Ground.objects.all()}
    for list_kind, term, ground in DEMO_WORDS:
        upsert(Word, {"list": list_kind, "term": term}, {"ground": grounds[ground]})
    actor = system_user()
    created = 0
    now = timezone.now()
    channels = {c.slug: c for c in Channel.objects.all()}
    for slug, key, kind, parent, author, minutes, text in DEMO_ITEMS:
        channel = channels.get(slug)
        external_id = f"demo-{key}"
        if (
            channel is None
            or Item.objects.filter(channel=channel, external_id=external_id).exists()
        ):
            continue
        account_id = f"demo-{slug}"
        # No author: the channel's own post, written by the account itself.
        author_id = f"demo-{author.lower().replace(' ', '-')}" if author else account_id
        moderation_item_intake(
            channel=channel,
            item=NormalizedItem(
                platform=channel.platform,
                account_id=account_id,
                external_id=external_id,
                kind=kind,  # type: ignore[arg-type]
                event=ItemEvent.CREATED,
                occurred_at=now - timedelta(minutes=minutes),
                text=text,
                parent_external_id=f"demo-{parent}" if parent else None,
                thread_external_id="demo-post-1" if parent else None,
                author_id=author_id,
                author_name=f"{author} (demo)" if author else channel.name,
                permalink=f"{channel.url.rstrip('/')}/demo-{key}" if channel.url else None,
                raw={"demo": True, "id": external_id, "message": text},
            ),
            actor=actor,
        )
        created += 1
    return created


def run() -> str:
    _grounds()
    _reply_templates()
    _threat_lexicon()
    summary = (
        f"{Ground.objects.count()} grounds, {ReplyTemplate.objects.count()} reply templates, "
        f"{ThreatTerm.objects.count()} threat lexicon terms"
    )
    if getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
        summary += f", {_demo()} demo items"
        from moderation.demo_month import demo_month_seed

        summary += f", {demo_month_seed(now=timezone.now())} demo items last month"
        from moderation.demo_privacy import privacy_demo_seed

        summary += f", {privacy_demo_seed()} demo items for a subject-access request"
    return summary

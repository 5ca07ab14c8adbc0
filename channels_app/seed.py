"""Every account the municipality's page names, with purposes worded from the page, and the
page's own sections, links and guidelines document."""

import re
from datetime import timedelta

from django.core.files.base import ContentFile
from fpdf import FPDF

from channels_app.choices import AudienceMetric as Metric
from channels_app.choices import ChannelPlatform as P
from channels_app.choices import ChannelRecordsPolicy, ChannelRole, ChannelStatus, PageSectionKey
from channels_app.models import AudienceFact, Channel, PageLink, PageSection
from core.seedpage import INTRODUCTION, bullets, paragraph, section, upsert

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


def linked(text: str, words: str, target: str) -> str:
    """The text with its one occurrence of ``words`` made a link: [words](target)."""
    if text.count(words) != 1:
        raise LookupError(f"{text.count(words)} occurrences of {words!r} in {text!r}")
    return text.replace(words, f"[{words}]({target})")


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
            "url": "https://www.facebook.com/orebrokommunteckensprak",
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
            "url": "https://www.instagram.com/orebrokommunteckensprak/",
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
            "purpose": linked(
                paragraph("Poddar", "Podden Tonårstiden – Hur svårt kan det va? finns även"),
                "här",
                "/poddar/tonarstiden/",
            ),
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


GUIDELINES = "Riktlinjer för sociala medier i Örebro kommun"
PHONE = "019-21 10 00"
PHONE_LINK = "tel:+4619211000"
RULES_LEAD = "Med stöd av kommunens riktlinjer"
RULES_TAIL = "Utöver att ta bort innehåll"
PLATFORM_INTRODUCTIONS = {
    PageSectionKey.FACEBOOK: ("Facebook", "Facebook är en social plattform"),
    PageSectionKey.INSTAGRAM: ("Instagram", "Instagram är en social plattform"),
    PageSectionKey.LINKEDIN: ("LinkedIn", "LinkedIn är en social plattform"),
    PageSectionKey.YOUTUBE: ("Youtube", "Youtube är en social plattform"),
    PageSectionKey.PODCAST: ("Poddar", "En podcast"),
}
PERSONAL_DATA = "Personuppgifter på sociala medier"


def _introduction() -> str:
    """The page's opening paragraphs, without the rules that follow them; the guidelines are a
    link to their document and Servicecenter's number one to call."""
    rules = {paragraph(INTRODUCTION, RULES_LEAD), paragraph(INTRODUCTION, RULES_TAIL)}
    texts = [p for p in section(INTRODUCTION) if not p.startswith("•") and p not in rules]
    texts = [
        p.replace(f"{GUIDELINES}. Pdf, 406 kB", f"[{GUIDELINES}](@riktlinjer)").replace(
            PHONE, f"[{PHONE}]({PHONE_LINK})"
        )
        for p in texts
    ]
    return "\n\n".join(texts)


def _sections() -> dict[str, dict[str, str]]:
    personal_data = section(PERSONAL_DATA)
    here = "Här kan du läsa mer om hur kommunen behandlar personuppgifter"
    return {
        PageSectionKey.INTRODUCTION: {"heading": INTRODUCTION, "body": _introduction()},
        PageSectionKey.RULES: {
            "heading": "",
            "body": paragraph(INTRODUCTION, RULES_LEAD),
            "closing": paragraph(INTRODUCTION, RULES_TAIL),
        },
        **{
            key: {"heading": heading, "body": paragraph(heading, starts_with)}
            for key, (heading, starts_with) in PLATFORM_INTRODUCTIONS.items()
        },
        PageSectionKey.PERSONAL_DATA: {
            "heading": PERSONAL_DATA,
            "body": "\n\n".join(linked(p, here, "@personuppgifter") for p in personal_data),
        },
        PageSectionKey.QUESTIONS: {
            "heading": "Frågor",
            "body": linked(paragraph("Frågor", "Om du har frågor"), "Servicecenter", PHONE_LINK),
        },
    }


PLACEHOLDER_NOTE = (
    "Det här är en platshållare, inte kommunens riktlinjer. Dokumentet "
    f'"{GUIDELINES}" (pdf, 406 kB på orebro.se) fanns inte med när systemet '
    "installerades."
)
PLACEHOLDER_STEPS = (
    "En webbredaktör laddar upp det riktiga dokumentet så här: logga in på administrationen, "
    "välj Kanalregister, sedan Länkar och dokument och raden riktlinjer. Välj pdf-filen under "
    "Dokument och klicka på Spara. Sidan Sociala medier länkar då till den, med filens storlek."
)


def _guidelines_pdf() -> bytes:
    """A one-page PDF that says what it is: a placeholder for the municipality's guidelines,
    which the seed page names but which were not delivered with it, and how an editor uploads
    the real document. The rules themselves are on the page (the rules section)."""
    pdf = FPDF()
    pdf.set_title(f"{GUIDELINES} (platshållare)")
    pdf.set_author("Örebro kommun")
    pdf.set_lang("sv")
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.multi_cell(0, 8, f"{GUIDELINES} (platshållare)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    lead = "Till dess står reglerna för vad kommunen tar bort på sidan Sociala medier:"
    texts = [PLACEHOLDER_NOTE, PLACEHOLDER_STEPS, lead, *(f"- {r}" for r in bullets(INTRODUCTION))]
    for text in texts:
        pdf.ln(3)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _page_seed() -> int:
    """The links and sections are created when missing and never brought back to the seed:
    after that they are the editors'."""
    created = 0
    _, was_created = PageLink.objects.get_or_create(
        key="personuppgifter",
        defaults={
            "title": "Behandling av personuppgifter",
            "url": "https://www.orebro.se/personuppgifter",
        },
    )
    created += was_created
    if not PageLink.objects.filter(key="riktlinjer").exists():
        guidelines = PageLink(key="riktlinjer", title=GUIDELINES)
        guidelines.document.save("riktlinjer-platshallare.pdf", ContentFile(_guidelines_pdf()))
        created += 1
    for key, values in _sections().items():
        _, was_created = PageSection.objects.get_or_create(key=key, defaults=values)
        created += was_created
    return created


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
    page = _page_seed()
    return (
        f"{Channel.objects.count()} channels ({changed} created or updated), "
        f"{AudienceFact.objects.count()} audience facts ({facts} created or updated), "
        f"{PageSection.objects.count()} page sections and {PageLink.objects.count()} links "
        f"({page} created)"
    )

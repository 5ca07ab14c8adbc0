"""The public "Sociala medier" page. It composes several apps (the channel register and the
moderation grounds), so it lives at the project level."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from channels_app.choices import ChannelPlatform
from channels_app.selectors import channels_public_by_platform
from config.seedpage import INTRODUCTION, paragraph, section
from moderation.models import Ground

RULES_LEAD = "Med stöd av kommunens riktlinjer"
RULES_TAIL = "Utöver att ta bort innehåll"
PERSONAL_DATA = "Personuppgifter på sociala medier"
QUESTIONS = "Frågor"


def home(request: HttpRequest) -> HttpResponse:
    """The introduction and personal-data texts come from the published page; the rules, the
    channels, their facts and twins from the database, so an editor's change shows at once."""
    rules_lead = paragraph(INTRODUCTION, RULES_LEAD)
    rules_tail = paragraph(INTRODUCTION, RULES_TAIL)
    introduction = [
        p
        for p in section(INTRODUCTION)
        if not p.startswith("•") and p not in (rules_lead, rules_tail)
    ]
    groups = channels_public_by_platform(today=timezone.localdate())
    podcasts = [g for g in groups if g.platform == ChannelPlatform.PODCAST]
    context = {
        "introduction": introduction,
        "rules_lead": rules_lead,
        "rules_tail": rules_tail,
        "grounds": list(
            Ground.objects.filter(is_active=True, parent=None).order_by("order", "code")
        ),
        "platforms": [g for g in groups if g.platform != ChannelPlatform.PODCAST],
        "podcasts": podcasts[0] if podcasts else None,
        "podcast_intro": paragraph("Poddar", "En podcast"),
        "personal_data_heading": PERSONAL_DATA,
        "personal_data": section(PERSONAL_DATA),
        "questions_heading": QUESTIONS,
        "questions": section(QUESTIONS),
    }
    return render(request, "public/home.html", context)

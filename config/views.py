"""The public "Sociala medier" page. It composes several apps (the channel register with the
page's texts, the moderation grounds and the podcasts), so it lives at the project level."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from channels_app.choices import ChannelPlatform, PageSectionKey
from channels_app.pagetext import NamedLinks
from channels_app.pagetext import render as page_text
from channels_app.selectors import channels_public_by_platform, public_page_get
from moderation.models import Ground
from podcasts.selectors import show_list


def home(request: HttpRequest) -> HttpResponse:
    """Every text is the editors' (page sections, channel purposes); the rules, the channels,
    their facts and twins come from the register, so an editor's change shows at once. Each
    podcast links to its show page."""
    page = public_page_get()
    groups = channels_public_by_platform(today=timezone.localdate())
    show_pages = {}
    for show in show_list().values("slug", "channel_id", "sign_language_channel_id"):
        url = reverse("podcasts:show", kwargs={"slug": show["slug"]})
        show_pages[show["channel_id"]] = url
        if show["sign_language_channel_id"]:
            show_pages[show["sign_language_channel_id"]] = url
    links = NamedLinks(page.links)
    sections = {
        key: {
            "heading": section["heading"],
            "body": page_text(section["body"], links),
            "closing": page_text(section["closing"], links),
        }
        for key, section in page.sections.items()
    }
    for group in groups:
        group.text = sections.get(group.platform)  # type: ignore[attr-defined]
        for channel in [*group.channels, *group.twins]:
            channel["page_url"] = show_pages.get(channel["pk"], channel["url"])
            channel["purpose_html"] = page_text(channel["purpose"], links)
    podcasts = [g for g in groups if g.platform == ChannelPlatform.PODCAST]
    context = {
        "introduction": sections.get(PageSectionKey.INTRODUCTION),
        "rules": sections.get(PageSectionKey.RULES),
        "personal_data": sections.get(PageSectionKey.PERSONAL_DATA),
        "questions": sections.get(PageSectionKey.QUESTIONS),
        "grounds": list(
            Ground.objects.filter(is_active=True, parent=None)
            .order_by("order", "code")
            .values("wording")
        ),
        "platforms": [g for g in groups if g.platform != ChannelPlatform.PODCAST],
        "podcasts": podcasts[0] if podcasts else None,
        "published": page.published,
        "updated": page.updated,
    }
    return render(request, "public/home.html", context)

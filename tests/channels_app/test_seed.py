"""The seed loads the page's accounts word for word, twins linked, and is idempotent."""

import pytest
from django.core.management import call_command

from channels_app.models import Channel
from core.seedpage import paragraph
from moderation.models import Ground

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent():
    call_command("seed")
    history = Channel.history.count()
    channels = Channel.objects.count()
    call_command("seed")
    assert Channel.objects.count() == channels == 11
    assert Channel.history.count() == history


def test_purposes_are_the_pages_words_and_twins_are_linked():
    call_command("seed")
    facebook = Channel.objects.get(slug="facebook-orebro-kommun")
    assert facebook.purpose == paragraph("Facebook", "Örebro kommuns officiella konto på Facebook")
    twin = Channel.objects.get(slug="facebook-orebro-kommun-teckensprak")
    assert twin.sign_language_counterpart == facebook
    assert Channel.objects.get(slug="podcast-sveriges-viktigaste-chefspodd").status == "paused"


def test_the_eight_rules_are_the_grounds():
    call_command("seed")
    grounds = list(Ground.objects.filter(parent__isnull=True))
    assert len(grounds) == 8
    assert grounds[0].wording == "olaga hot eller uppvigling,"
    assert grounds[-1].wording == "politiska diskussioner."
    assert {g.code for g in grounds if g.requires_rationale} == {"marketing", "political"}
    # Child abuse material is a narrower ground under the violence/pornography rule whose
    # content is never kept.
    child_abuse = Ground.objects.get(parent__code="violence-pornography")
    assert (child_abuse.wording, child_abuse.store_content) == ("barnpornografi", False)


def test_the_seed_keeps_what_editors_changed_in_admin(client, editor):
    """`make run` seeds on every start: it creates what is missing and leaves a channel's
    purpose and a page section as the editor last saved them."""
    from channels_app.models import PageSection
    from tests.channels_app.test_admin import channel_form

    call_command("seed")
    client.force_login(editor)
    channel = Channel.objects.get(slug="youtube-orebro-kommun")
    response = client.post(
        f"/admin/channels_app/channel/{channel.pk}/change/",
        channel_form(channel, purpose="Filmer om Örebro, skrivna av redaktionen."),
    )
    assert response.status_code == 302
    section = PageSection.objects.get(key="questions")
    response = client.post(
        f"/admin/channels_app/pagesection/{section.pk}/change/",
        {"heading": "Har du frågor?", "body": "Ring Servicecenter.", "closing": ""},
    )
    assert response.status_code == 302

    call_command("seed")

    channel.refresh_from_db()
    section.refresh_from_db()
    assert channel.purpose == "Filmer om Örebro, skrivna av redaktionen."
    assert (section.heading, section.body) == ("Har du frågor?", "Ring Servicecenter.")


def test_the_seed_brings_a_row_nobody_edited_to_the_pages_words():
    call_command("seed")
    Channel.objects.filter(slug="youtube-orebro-kommun").update(purpose="An older seed's words")
    call_command("seed")
    youtube = Channel.objects.get(slug="youtube-orebro-kommun")
    assert youtube.purpose == paragraph(
        "Youtube", "Örebro kommun har ett centralt konton på Youtube"
    )

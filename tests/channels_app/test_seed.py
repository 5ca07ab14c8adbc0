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

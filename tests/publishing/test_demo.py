"""The demo on ``make run`` (issue 20): the platforms answer from their recordings there, never
in production (``check --deploy`` refuses it), and the demo editors' posts stand in each state,
the published one registered as drawn up with its sign-language plan open."""

from io import StringIO
from pathlib import Path

import httpx
import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from accounts.choices import Role
from channels_app.choices import ChannelPlatform, ChannelRole
from moderation.platforms import connections
from moderation.platforms.http import HttpxClient
from moderation.platforms.recorded import RecordedTransport
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post
from publishing.platforms import facebook_publish, linkedin_publish
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(settings):
    settings.PLATFORMS_RECORDED_ANSWERS = str(FIXTURES)
    return Path(FIXTURES)


def test_check_deploy_refuses_the_recorded_answers(settings, recorded):
    found = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "moderation.E001" in found
    settings.PLATFORMS_RECORDED_ANSWERS = ""
    found = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "moderation.E001" not in found


def test_local_settings_answer_from_the_recordings_and_production_does_not():
    from config.settings import base, local

    assert base.PLATFORMS_RECORDED_ANSWERS == ""
    assert Path(local.PLATFORMS_RECORDED_ANSWERS) == FIXTURES


def test_the_channels_client_answers_from_the_recordings_with_fresh_ids(recorded):
    channel = ChannelFactory.create(connected=True)
    http = connections.http_client_for(channel)
    assert isinstance(http, HttpxClient)
    first = facebook_publish(
        post=Post(text="Hej", channel=channel), media=[], account_id="104857600000001", http=http
    )
    second = facebook_publish(
        post=Post(text="Hej", channel=channel), media=[], account_id="104857600000001", http=http
    )
    assert first.result.outcome == second.result.outcome == "done"
    assert first.external_id.startswith("104857600000001_")
    assert first.external_id != second.external_id  # each post its own id, as on the platform
    linkedin = linkedin_publish(
        post=Post(text="Hej", channel=channel),
        media=[],
        account_id="urn:li:organization:1",
        http=http,
    )
    assert linkedin.external_id.startswith("urn:li:share:")


def test_a_call_no_recording_covers_is_refused_and_says_so(recorded):
    with httpx.Client(transport=RecordedTransport(recorded)) as client:
        answer = client.get("https://api.linkedin.com/rest/organizationAcls")
    assert answer.status_code == 404
    assert "No recorded answer" in answer.json()["error"]["message"]


def test_without_the_recordings_the_channels_client_goes_to_the_network(settings):
    settings.PLATFORMS_RECORDED_ANSWERS = ""
    http = connections.http_client_for(ChannelFactory.create(connected=True))
    assert isinstance(http, HttpxClient)
    assert not isinstance(http._client._transport, RecordedTransport)


@pytest.fixture
def demo_channels(db):
    facebook = ChannelFactory.create(slug="facebook-orebro-kommun", name="Örebro kommun")
    ChannelFactory.create(
        slug="facebook-orebro-kommun-teckensprak",
        name="Örebro kommun – Teckenspråk",
        role=ChannelRole.SIGN_LANGUAGE,
        sign_language_counterpart=facebook,
    )
    ChannelFactory.create(slug="linkedin-orebro-kommun", platform=ChannelPlatform.LINKEDIN)
    ChannelFactory.create(slug="instagram-orebrokommun", platform=ChannelPlatform.INSTAGRAM)
    call_command("demo_accounts", stdout=StringIO())
    return facebook


def test_the_demo_posts_stand_in_each_state_and_the_published_one_is_registered(
    recorded, demo_channels, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_posts", stdout=out)
    assert "4 demo posts made" in out.getvalue()
    states = dict(
        Post.objects.values_list("channel__slug", "status").filter(channel__platform="linkedin")
    )
    assert states == {"linkedin-orebro-kommun": PostStatus.IN_REVIEW}
    assert sorted(Post.objects.values_list("status", flat=True)) == sorted(
        [PostStatus.PUBLISHED, PostStatus.SCHEDULED, PostStatus.IN_REVIEW, PostStatus.DRAFT]
    )
    published = Post.objects.get(status=PostStatus.PUBLISHED)
    assert published.channel == demo_channels
    assert published.author.email == "editor@demo.orebro.se"
    assert published.approved_by is not None
    assert published.approved_by.email == "editor2@demo.orebro.se"
    record = Record.objects.get()
    assert (published.record, record.direction) == (record, "drawn_up")
    assert record.source_id == published.external_id
    assert published.twin_plan.status == TwinPlanStatus.OPEN
    assert published.published_at is not None
    assert published.twin_plan.due_on > published.published_at.date()
    assert Post.objects.get(status=PostStatus.SCHEDULED).twin_plan.status == TwinPlanStatus.OPEN

    call_command("demo_posts", stdout=out)  # make run again: nothing twice
    assert Post.objects.count() == 4


def test_the_demo_posts_need_the_recordings(settings, demo_channels):
    settings.PLATFORMS_RECORDED_ANSWERS = ""
    with pytest.raises(CommandError, match="recorded answers"):
        call_command("demo_posts", stdout=StringIO())
    assert not Post.objects.exists()


def test_a_second_demo_editor_can_approve(demo_channels):
    from accounts.models import User

    second = User.objects.get(email="editor2@demo.orebro.se")
    assert second.groups.filter(name=Role.EDITOR).exists()
    assert second.has_usable_password()

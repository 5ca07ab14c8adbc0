"""Channel services: bad input is refused with a Swedish message and nothing is saved; the seed
adds the page's audiences and facts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from channels_app import services
from channels_app.choices import AudienceMetric, ChannelPlatform, ChannelRole
from channels_app.models import AudienceFact, Channel
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

NEW = {
    "platform": ChannelPlatform.INSTAGRAM,
    "name": "Nytt konto",
    "slug": "nytt-konto",
    "role": ChannelRole.OFFICIAL,
}


def test_create_and_update_keep_history(editor):
    channel = services.channel_create(actor=editor, **NEW, url="https://www.instagram.com/nytt/")
    services.channel_update(channel=channel, actor=editor, purpose="Nytt syfte.")
    assert [h.history_user for h in channel.history.all()] == [editor, editor]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"url": "https://example.com/nytt"}, "url", "instagram.com"),
        ({"url": "inte en adress"}, "url", "Ange en giltig URL."),
        ({"handle": "@med mellanslag"}, "handle", ""),
    ],
    ids=["url-on-another-site", "malformed-url", "malformed-handle"],
)
def test_bad_addresses_are_refused(editor, fields, field, message):
    with pytest.raises(ValidationError) as error:
        services.channel_create(actor=editor, **NEW, **fields)
    assert message in error.value.message_dict[field][0]
    assert not Channel.objects.filter(slug="nytt-konto").exists()


def test_a_twin_on_another_platform_is_refused(editor):
    facebook = ChannelFactory.create(platform=ChannelPlatform.FACEBOOK)
    with pytest.raises(ValidationError) as error:
        services.channel_create(actor=editor, **NEW, sign_language_counterpart=facebook)
    assert error.value.message_dict["sign_language_counterpart"] == [
        "Teckenspråkstvillingen måste finnas på samma plattform."
    ]
    assert not Channel.objects.filter(slug="nytt-konto").exists()


def test_a_channel_cannot_twin_itself(editor):
    channel = ChannelFactory.create()
    with pytest.raises(ValidationError) as error:
        services.channel_update(channel=channel, actor=editor, sign_language_counterpart=channel)
    assert "sign_language_counterpart" in error.value.message_dict
    channel.refresh_from_db()
    assert channel.sign_language_counterpart is None


def test_unknown_fields_are_refused(editor):
    with pytest.raises(ValidationError):
        services.channel_update(channel=ChannelFactory.create(), actor=editor, created_at=None)


def test_registrars_cannot_change_channels(registrar):
    with pytest.raises(PermissionDenied):
        services.channel_update(channel=ChannelFactory.create(), actor=registrar, name="X")


def test_a_rank_is_a_number(editor):
    with pytest.raises(ValidationError):
        services.audience_fact_create(
            actor=editor,
            platform=ChannelPlatform.INSTAGRAM,
            cohort="90-talisterna",
            metric=AudienceMetric.RANK,
            value="först",
            source="Svenskarna och internet 2021",
            year=2021,
        )


def test_seed_adds_the_pages_facts_and_audiences():
    call_command("seed")
    call_command("seed")
    facts = {
        (f.platform, f.cohort, f.metric): f.value
        for f in AudienceFact.objects.filter(source="Svenskarna och internet 2021", year=2021)
    }
    assert facts == {
        ("facebook", "16 år eller äldre", "past_year"): "8 av 10",
        ("facebook", "16 år eller äldre", "daily"): "6 av 10",
        ("instagram", "90-talisterna", "rank"): "1",
        ("instagram", "80-talisterna", "rank"): "2",
        ("instagram", "00-talisterna", "rank"): "3",
        ("youtube", "00-talister", "past_year"): "95 procent",
        ("youtube", "90-talister", "past_year"): "95 procent",
        ("youtube", "80-talisterna", "past_year"): "9 av 10",
    }
    assert AudienceFact.history.count() == 8
    linkedin = Channel.objects.get(slug="linkedin-orebro-kommun")
    assert linkedin.audience == "Vi vänder oss främst till jobbsökande samt interna medarbetare."
    teens = Channel.objects.get(slug="podcast-tonarstiden")
    assert teens.audience.startswith("Podden Tonårstiden - Hur svårt kan det va? riktar sig mot")
    assert teens.audience.endswith("tonårstiden.")


@pytest.mark.django_db
def test_a_platform_account_id_is_unique_per_platform_when_set(editor):
    ChannelFactory.create(platform=ChannelPlatform.FACEBOOK, platform_account_id="104857600000001")
    ChannelFactory.create(platform=ChannelPlatform.FACEBOOK, platform_account_id="")
    other = {**NEW, "platform": ChannelPlatform.FACEBOOK, "platform_account_id": ""}
    services.channel_create(actor=editor, **{**other, "slug": "utan-id", "handle": "utanid"})
    with pytest.raises(ValidationError) as error:
        services.channel_create(actor=editor, **{**other, "platform_account_id": "104857600000001"})
    assert "konto-id" in str(error.value)
    # The same id on another platform is another account.
    services.channel_create(
        actor=editor,
        **{**NEW, "slug": "ig", "handle": "ig", "platform_account_id": "104857600000001"},
    )

"""Data the security tests run against: a channel, items in the queue (one hidden by a moderator),
register entries (one of them secret), a podcast show with an episode, so that ids in fuzzed paths
find real rows and leak scans have something to find. The canary is written only where the
public must never see it: in a secret register entry and in a hidden moderation item."""

from dataclasses import dataclass

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user
from channels_app.models import Channel
from moderation import seed as moderation_seed
from moderation.models import Item
from moderation.services import item_claim, item_decide, moderation_item_intake
from podcasts.models import Episode
from records.models import Record
from records.services import record_register, record_secrecy_mark
from tests.moderation.factories import ChannelFactory, normalized
from tests.podcasts.factories import EpisodeFactory
from tests.records.factories import registration_kwargs

CANARY = "KANARIEFAGEL-7f3a9c-HEMLIG"


@dataclass
class FuzzData:
    channel: Channel
    open_item: Item
    hidden_item: Item
    public_record: Record
    secret_record: Record
    episode: Episode


def fuzz_data() -> FuzzData:
    moderation_seed._grounds()
    moderation_seed._reply_templates()
    actor = system_user()
    channel = ChannelFactory.create()
    open_item = moderation_item_intake(
        channel=channel, item=normalized(channel, text="Bra jobbat med snöröjningen!"), actor=actor
    ).item
    hidden_item = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text=f"Personnummer och adress till grannen: {CANARY}"),
        actor=actor,
    ).item
    moderator = User.objects.create_user(email="canary-moderator@orebro.se", password="x" * 16)
    moderator.groups.add(*moderator.groups.model.objects.filter(name=Role.MODERATOR))
    item_claim(item=hidden_item, actor=moderator)
    item_decide(
        item=hidden_item,
        action="hide",
        ground_codes=["sensitive-information"],
        rationale="Uppgifter om en privatperson.",
        actor=moderator,
    )
    hidden_item.refresh_from_db()
    public_record = record_register(**registration_kwargs(channel, actor))
    secret_record = record_register(
        **registration_kwargs(
            channel,
            actor,
            subject="Anmälan om missförhållanden",
            text=f"Uppgifter om en enskilds hälsa: {CANARY}",
            raw_payload={"message": CANARY},
            counterparty_name=f"Namn {CANARY}",
        )
    )
    registrar = User.objects.create_user(email="canary-registrar@orebro.se", password="x" * 16)
    registrar.groups.add(*registrar.groups.model.objects.filter(name=Role.REGISTRAR))
    secret_record = record_secrecy_mark(
        record=secret_record, provision="OSL 26 kap. 1 §", actor=registrar
    )
    episode = EpisodeFactory.create()
    return FuzzData(channel, open_item, hidden_item, public_record, secret_record, episode)

"""Data the security tests run against: a channel, items in the queue (one hidden by a moderator),
register entries (one of them secret), a podcast show with an episode, so that ids in fuzzed paths
find real rows and leak scans have something to find. The canaries are written only where
they must stay: in a secret register entry and in an item a moderator hid."""

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
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized
from tests.podcasts.factories import EpisodeFactory
from tests.records.factories import registration_kwargs

# Only registrars may ever see the secret canary; the public never sees the hidden one.
SECRET_CANARY = "KANARIEFAGEL-7f3a9c-HEMLIG"
HIDDEN_CANARY = "KANARIEFAGEL-2b8e41-DOLD"


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
    channel = ChannelFactory.create(connected=True)
    open_item = moderation_item_intake(
        channel=channel, item=normalized(channel, text="Bra jobbat med snöröjningen!"), actor=actor
    ).item
    hidden_item = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text=f"Personnummer och adress till grannen: {HIDDEN_CANARY}"),
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
            subject=f"Anmälan om missförhållanden {SECRET_CANARY}",
            text=f"Uppgifter om en enskilds hälsa: {SECRET_CANARY}",
            raw_payload={"message": SECRET_CANARY},
            counterparty_name=f"Namn {SECRET_CANARY}",
            counterparty_handle=SECRET_CANARY,
        )
    )
    registrar = User.objects.create_user(email="canary-registrar@orebro.se", password="x" * 16)
    registrar.groups.add(*registrar.groups.model.objects.filter(name=Role.REGISTRAR))
    secret_record = record_secrecy_mark(
        record=secret_record, provision="OSL 26 kap. 1 §", actor=registrar
    )
    episode = EpisodeFactory.create()
    return FuzzData(channel, open_item, hidden_item, public_record, secret_record, episode)

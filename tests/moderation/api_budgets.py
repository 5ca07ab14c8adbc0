"""Query budgets of the moderation API's list endpoints (see tests/api_budgets.py)."""

from accounts.choices import Role
from accounts.services import system_user
from moderation import seed, services
from tests.api_budgets import Budget
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized


def _queue(count, actor):
    """Items with hits, a hiding decision that cites a ground, and a note each."""
    seed._grounds()
    channel = ChannelFactory.create(connected=True)
    for n in range(count):
        text = f"Kommentar {n}: ring 070-123 45 6{n % 10}, din idiot"
        item = services.moderation_item_intake(
            channel=channel, item=normalized(channel, text=text), actor=system_user()
        ).item
        services.item_decide(item=item, action="hide", ground_codes=["harassment"], actor=actor)
        services.note_create(item=item, text="not", actor=actor)


BUDGETS = [
    # The page, its grounds and its hits.
    Budget("/api/v1/moderation/items/", 3, _queue, role=Role.MODERATOR),
    *(
        Budget(f"/api/v1/moderation/{name}/", 1, _queue, role=Role.MODERATOR)
        for name in ("grounds", "notes", "blocks")
    ),
]

"""What the moderation queue holds about a person, for their subject-access package and for the
retention of what is not a public document: their platform account, their items and each
version, notes, blocks, decisions, the replies sent to them and their requests for
reconsideration. Registered in ``ModerationConfig.ready()`` (the privacy app is below
moderation and cannot import it)."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.choices import PlatformActionKind
from moderation.models import (
    Block,
    Decision,
    Item,
    ItemVersion,
    Note,
    PlatformAccount,
    PlatformAction,
    ReconsiderationRequest,
    WebhookDelivery,
)
from moderation.selectors import note_content_state, notes_tied
from privacy.records_holders import record_retention, record_withheld
from privacy.registry import (
    HeldData,
    PersonDataHolder,
    PersonQuery,
    ProfileCorrection,
    RetentionPeriods,
)
from records.access import ContentState, item_content_state, withheld_label
from records.quoting import secret_quotation as quoting

MODERATION_BASIS = gettext_lazy(
    "Supervision of the municipality's account: lag (1998:112) om ansvar för elektroniska "
    "anslagstavlor 4–5 §§ (GDPR art. 6.1 e, a task in the public interest)."
)
WORKING_RETENTION = gettext_lazy(
    "Removed by the retention of personal data after the period the administrator set."
)


def _date(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _accounts(query: PersonQuery) -> list[PlatformAccount]:
    term = query.term
    match = Q(**query.name_lookup("name")) | Q(external_id=term) | Q(profile_url=term)
    if "/" in term and not query.exact:
        match |= Q(profile_url__icontains=term)
    return list(PlatformAccount.objects.filter(match).order_by("pk"))


def _platform_ids(query: PersonQuery) -> Iterable[str]:
    return [account.external_id for account in _accounts(query)]


def _item_withheld(item: Item) -> str:
    state = item_content_state(item)
    if state == ContentState.OPEN:
        return ""
    if item.record is not None and record_withheld(item.record):
        return record_withheld(item.record)
    return _("Removed as unlawful content: only metadata and platform ids are kept.")


def _accounts_withheld(accounts: list[PlatformAccount]) -> dict[int, str]:
    """Why each account's name is not given: the first of its items whose content is not.
    One query for all the accounts (a name may match hundreds)."""
    withheld = {account.pk: "" for account in accounts}
    items = Item.objects.filter(author__in=accounts).select_related("record").order_by("pk")
    for item in items:
        if item.author_id is not None and not withheld[item.author_id]:
            withheld[item.author_id] = _item_withheld(item)
    return withheld


def _quoting_withheld(row: Any) -> str:
    """Free text that pastes words of a secret entry (records.quoting) is withheld as it is."""
    return withheld_label(ContentState.SECRET) if row.quotes_secret else ""


def _item_retention(item: Item) -> str:
    if item.record is None:
        return str(WORKING_RETENTION)
    return _("As its register entry %(number)s: %(retention)s") % {
        "number": item.record.number or _("kept in order"),
        "retention": record_retention(item.record),
    }


def _item_held(item: Item, *, text: str, **fields: Any) -> HeldData:
    """What is held of an item or one of its texts: on its channel, kept as the item is, and
    its text only where the item's content is not withheld."""
    withheld = _item_withheld(item)
    return HeldData(
        where=item.channel.name,
        retention=_item_retention(item),
        shared_with=_("Published by you on %s.") % item.channel.get_platform_display(),
        text="" if withheld else text,
        withheld=withheld,
        **fields,
    )


def _find(query: PersonQuery) -> Iterable[HeldData]:
    term = query.term
    basis = str(MODERATION_BASIS)
    accounts = [
        *_accounts(query),
        *PlatformAccount.objects.filter(external_id__in=query.platform_ids).exclude(
            external_id=term
        ),
    ]
    accounts = list({account.pk: account for account in accounts}.values())
    # The name an author of a secret item wrote under is withheld as the item is (the
    # register's counterparty), and so is free text about them (a block's rationale); the
    # platform id stays, it is what the request names.
    account_withheld = _accounts_withheld(accounts)
    for account in accounts:
        withheld = account_withheld[account.pk]
        yield HeldData(
            ref=f"moderation.platformaccount:{account.pk}",
            kind=_("Platform account"),
            what=account.external_id if withheld else account.name or account.external_id,
            withheld=withheld,
            where=account.platform,
            when=account.first_seen_at,
            basis=basis,
            retention=_("While items of the account are held; then %s") % WORKING_RETENTION,
            shared_with=_("Received from the platform; not shared further."),
            details={
                _("Name"): "" if withheld else account.name,
                _("Platform id"): account.external_id,
                _("Profile link"): account.profile_url,
                _("Last seen"): _date(account.last_seen_at),
            },
            correctable=True,
        )
    items = list(
        Item.objects.filter(Q(author__in=accounts) | Q(text__icontains=term) | Q(permalink=term))
        .select_related("channel", "record__retention_class", "author")
        .order_by("platform_time", "pk")
    )
    by_pk = {item.pk: item for item in items}
    for item in items:
        withheld = _item_withheld(item)
        yield _item_held(
            item,
            ref=f"moderation.item:{item.pk}",
            kind=item.get_kind_display(),
            what=_("%(kind)s on %(channel)s, state: %(state)s")
            % {
                "kind": item.get_kind_display(),
                "channel": item.channel.name,
                "state": item.get_state_display(),
            },
            when=item.platform_time,
            text=item.text,
            basis=basis,
            details={_("Link"): "" if withheld else item.permalink},
        )
    versions = (
        ItemVersion.objects.filter(item__in=items)
        .exclude(pk__in=[item.current_version_id for item in items if item.current_version_id])
        .order_by("item_id", "platform_time")
    )
    for version in versions:
        item = by_pk[version.item_id]
        yield _item_held(
            item,
            ref=f"moderation.itemversion:{version.pk}",
            kind=_("Earlier version"),
            what=_("An earlier text of the item of %s") % _date(item.platform_time),
            when=version.platform_time,
            text=version.text,
            basis=basis,
        )
    notes = notes_tied(
        Note.objects.filter(Q(author__in=accounts) | Q(item__in=items) | Q(text__icontains=term))
        .select_related("item__channel", "item__record")
        .order_by("created_at", "pk")
    )
    for note in notes:
        withheld = _item_withheld(note.item) if note.item else ""
        if not withheld and note_content_state(note) == ContentState.SECRET:
            withheld = withheld_label(ContentState.SECRET)
        yield HeldData(
            ref=f"moderation.note:{note.pk}",
            kind=_("Moderator's note"),
            what=_("Note on an item") if note.item_id else _("Note on the author"),
            where=note.item.channel.name if note.item else _("The moderation queue"),
            when=note.created_at,
            basis=basis,
            retention=_item_retention(note.item) if note.item else str(WORKING_RETENTION),
            shared_with=_("No one outside the municipality."),
            text="" if withheld else note.text,
            withheld=withheld,
        )
    blocks = Block.objects.filter(author__in=accounts).annotate(quotes_secret=quoting(Block))
    for block in blocks.select_related("channel"):
        withheld = account_withheld[block.author_id] or _quoting_withheld(block)
        yield HeldData(
            ref=f"moderation.block:{block.pk}",
            kind=_("Block"),
            what=_("Blocked on %s") % block.channel.name,
            where=block.channel.name,
            when=block.created_at,
            basis=basis,
            retention=_("While the block lasts; then %s") % WORKING_RETENTION,
            shared_with=_("The platform, which carries out the block."),
            text="" if withheld else block.rationale,
            withheld=withheld,
            details={_("Ends"): _date(block.ends_at), _("Lifted"): _date(block.lifted_at)},
        )
    decisions = list(
        Decision.objects.filter(Q(author__in=accounts) | Q(item__in=items))
        .annotate(quotes_secret=quoting(Decision))
        .select_related("channel", "item__record")
        .prefetch_related("grounds")
        .order_by("created_at", "pk")
    )
    # What is said about an item (a rationale, a reply, a request to reconsider) is withheld as
    # the item is.
    decision_withheld = {d.pk: _item_withheld(d.item) if d.item else "" for d in decisions}
    for decision in decisions:
        grounds = ", ".join(str(ground) for ground in decision.grounds.all())
        withheld = decision_withheld[decision.pk] or _quoting_withheld(decision)
        yield HeldData(
            ref=f"moderation.decision:{decision.pk}",
            kind=_("Moderation decision"),
            what=decision.get_action_display() + (f" ({grounds})" if grounds else ""),
            where=decision.channel.name,
            when=decision.created_at,
            basis=basis,
            retention=_("As long as the item it concerns."),
            shared_with=_("The platform, which carries out the action."),
            text="" if withheld else decision.rationale,
            withheld=withheld,
        )
    replies = (
        PlatformAction.objects.filter(decision__in=decisions, action=PlatformActionKind.REPLY)
        .annotate(quotes_secret=quoting(PlatformAction))
        .select_related("channel")
    )
    for reply in replies:
        # Replies to those decisions only.
        withheld = decision_withheld.get(reply.decision_id or 0, "") or _quoting_withheld(reply)
        yield HeldData(
            ref=f"moderation.platformaction:{reply.pk}",
            kind=_("Reply to you"),
            what=_("Reply on %s") % reply.channel.name,
            where=reply.channel.name,
            when=reply.sent_at or reply.created_at,
            basis=basis,
            retention=_("As long as the item it answers."),
            shared_with=_("Published on %s.") % reply.channel.get_platform_display(),
            text="" if withheld else reply.text,
            withheld=withheld,
        )
    asked = (
        ReconsiderationRequest.objects.filter(Q(decision__in=decisions) | Q(contact__iexact=term))
        .annotate(quotes_secret=quoting(ReconsiderationRequest))
        .select_related("decision__channel", "decision__item__record")
    )
    for request in asked:
        withheld = _item_withheld(request.decision.item) if request.decision.item else ""
        withheld = withheld or _quoting_withheld(request)
        yield HeldData(
            ref=f"moderation.reconsiderationrequest:{request.pk}",
            kind=_("Request for reconsideration"),
            what=_("Reconsideration of a decision on %s") % request.decision.channel.name,
            where=request.decision.channel.name,
            when=request.received_at,
            basis=basis,
            retention=_("As long as the decision it concerns."),
            shared_with=_("No one outside the municipality."),
            text="" if withheld else request.reason,
            withheld=withheld,
            details={_("Contact"): request.contact},
        )


def _retain(periods: RetentionPeriods, now: datetime) -> list[str]:
    """Remove what moderation holds past the periods: a line per removed row, naming no one."""
    lines: list[str] = []
    notes = Note.objects.filter(
        author__isnull=False, created_at__lt=now - timedelta(days=periods.author_notes_days)
    )
    for pk in notes.values_list("pk", flat=True):
        lines.append(_("Note about an author %s removed.") % pk)
    notes.delete()
    ended = now - timedelta(days=periods.expired_blocks_days)
    blocks = Block.objects.filter(
        Q(lifted_at__lt=ended) | Q(lifted_at__isnull=True, ends_at__lt=ended)
    )
    block_ids = list(blocks.values_list("pk", flat=True))
    for pk in block_ids:
        lines.append(_("Ended block %s removed.") % pk)
    blocks.delete()
    Block.history.filter(id__in=block_ids).delete()  # the history holds the same author
    orphans = PlatformAccount.objects.filter(
        last_seen_at__lt=now - timedelta(days=periods.orphan_accounts_days)
    ).exclude(
        Exists(Item.objects.filter(author=OuterRef("pk")))
        | Exists(Decision.objects.filter(author=OuterRef("pk")))
        | Exists(Block.objects.filter(author=OuterRef("pk")))
    )
    for platform, pk in orphans.values_list("platform", "pk"):
        lines.append(
            _("Platform account %(id)s (%(platform)s) with no items left removed.")
            % {
                "id": pk,
                "platform": platform,
            }
        )
    orphans.delete()
    deliveries = WebhookDelivery.objects.filter(
        processed_at__lt=now - timedelta(days=periods.queue_working_data_days)
    )
    for pk in deliveries.values_list("pk", flat=True):
        lines.append(_("Processed webhook delivery %s removed.") % pk)
    deliveries.delete()
    return lines


ACCOUNT_REF = "moderation.platformaccount:"
# What a rectification corrects on an account (the model's own field names, in words).
ACCOUNT_FIELDS = {"name": gettext_lazy("name"), "profile_url": gettext_lazy("profile address")}


def _rectify(refs: list[str], correction: ProfileCorrection) -> list[str]:
    """Correct the accounts' name and profile link: the queue, the item pages and the API read
    the account, so the correction shows wherever its name does. The register's entries keep
    the name as received (the correction is appended to them, privacy.services)."""
    ids = [int(ref.removeprefix(ACCOUNT_REF)) for ref in refs if ref.startswith(ACCOUNT_REF)]
    lines: list[str] = []
    for account in PlatformAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        changed = [
            (name, getattr(account, name), value)
            for name, value in (("name", correction.name), ("profile_url", correction.profile_url))
            if value and getattr(account, name) != value
        ]
        for name, old, new in changed:
            setattr(account, name, new)
            lines.append(
                _(
                    "Platform account %(id)s (%(platform)s): %(field)s “%(old)s” corrected "
                    "to “%(new)s”."
                )
                % {
                    "id": account.external_id,
                    "platform": account.platform,
                    "field": ACCOUNT_FIELDS[name],
                    "old": old,
                    "new": new,
                }
            )
        if changed:
            account.save(update_fields=[name for name, _old, _new in changed])
    return lines


MODERATION_HOLDER = PersonDataHolder(
    name="moderation", find=_find, platform_ids=_platform_ids, retain=_retain, rectify=_rectify
)

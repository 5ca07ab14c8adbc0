"""What a register entry says it concerns (OSL 5:2): the kind of document and the post it is
on, named by the municipality's own words in that post (its drawn-up entry), never by what a
commenter wrote; the platform and the channel say where. Registrars correct a subject in the
register's admin."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.models import Channel
from records.choices import RecordDirection, RecordStatus
from records.models import Record

TITLE_LENGTH = 80


def post_title(text: str) -> str:
    """The first words of a post, on one line."""
    words = " ".join(text.split())
    if len(words) <= TITLE_LENGTH:
        return words
    return words[: TITLE_LENGTH - 1].rstrip() + "…"


def post_titles(channel: Channel, post_ids: Iterable[str]) -> dict[str, str]:
    """The title of each of the channel's own posts among ``post_ids``, from its drawn-up,
    public entry in the register (one query)."""
    wanted = {post_id for post_id in post_ids if post_id}
    if not wanted:
        return {}
    rows = Record.objects.filter(
        channel=channel,
        direction=RecordDirection.DRAWN_UP,
        source_id__in=wanted,
        is_secret=False,
        status=RecordStatus.ACTIVE,
    ).values_list("source_id", "text")
    return {source_id: post_title(text) for source_id, text in rows if text.strip()}


def document_subject(*, channel: Channel, kind: str, post: str = "") -> str:
    """E.g. "Kommentar till inlägget ”Snöröjningen i Vivalla börjar i natt” på Facebook
    (Örebro kommun)". ``post`` is the title of the post the document is, or is on; it is
    given only for the municipality's own posts."""
    values = {
        "post": post,
        "platform": channel.get_platform_display(),
        "channel": channel.name,
    }
    if kind == "post":
        if post:
            return _("The post “%(post)s” on %(platform)s (%(channel)s)") % values
        return _("Post on %(platform)s (%(channel)s)") % values
    values["kind"] = str(KIND_PHRASES.get(kind, KIND_PHRASES["comment"]))
    if post:
        return _("%(kind)s on the post “%(post)s” on %(platform)s (%(channel)s)") % values
    return _("%(kind)s on %(platform)s (%(channel)s)") % values


KIND_PHRASES = {
    "comment": gettext_lazy("Comment"),
    "reply": gettext_lazy("Reply to a comment"),
    "message": gettext_lazy("Message"),
    "mention": gettext_lazy("Mention"),
}

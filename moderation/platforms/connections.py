"""How each channel is connected to its platform: its access token (encrypted at rest), the HTTP
client its adapter calls the platform with, and its capture health (last delivery, poll and send,
last error). Capture (content in) and the outbox (actions out) both build on this; it imports
neither."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.models import Channel
from moderation.models import ChannelConnection

from .base import HttpClient
from .http import HttpxClient
from .recorded import recorded_transport

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


# --- credentials -----------------------------------------------------------------------------


def _fernet() -> Fernet:
    return Fernet(settings.CHANNEL_CREDENTIALS_KEY)


def token_encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode() if token else ""


def token_decrypt(ciphertext: str) -> str:
    """The token, or "" when none is stored or it was encrypted with another key."""
    if not ciphertext:
        return ""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        logger.error("A channel token cannot be decrypted: was CHANNEL_CREDENTIALS_KEY changed?")
        return ""


def http_client_for(channel: Channel) -> HttpClient:
    """The HTTP client the channel's adapter calls the platform with, carrying its token (the
    platforms' recorded answers in local development: moderation.platforms.recorded)."""
    connection = ChannelConnection.objects.filter(channel=channel).first()
    token = token_decrypt(connection.access_token_encrypted) if connection else ""
    return HttpxClient(bearer_token=token, transport=recorded_transport())


@contextmanager
def channel_http(channel: Channel) -> Iterator[HttpClient]:
    """``http_client_for`` the channel, closed when done."""
    http = http_client_for(channel)
    try:
        yield http
    finally:
        close = getattr(http, "close", None)
        if close is not None:
            close()


def connection_of(channel: Channel) -> ChannelConnection:
    """The channel's connection row, made on first use."""
    return ChannelConnection.objects.get_or_create(channel=channel)[0]


@transaction.atomic
def channel_connection_save(
    *,
    channel: Channel,
    access_token: str | None = None,
    token_expires_at: datetime | None = None,
    actor: User,
) -> ChannelConnection:
    """Store the channel's token (None: keep the stored one; "": forget it) and its expiry."""
    permission_require(actor, "moderation.change_channelconnection")
    connection = ChannelConnection.objects.select_for_update().get(pk=connection_of(channel).pk)
    if access_token is not None:
        access_token = access_token.strip()
        if any(c.isspace() for c in access_token):
            raise ValidationError({"access_token": _("A token contains no spaces.")})
        connection.access_token_encrypted = token_encrypt(access_token)
        if not access_token:
            token_expires_at = None
    connection.token_expires_at = token_expires_at
    connection.full_clean()
    connection.save()
    return connection


# --- capture health --------------------------------------------------------------------------


def capture_note(channel: Channel, *, event: str, error: str = "") -> None:
    """Record that the channel had a delivery, a poll or a send (``event``: the connection's
    ``last_<event>_at`` field), and the error it ended with, if any."""
    now = timezone.now()
    changes: dict[str, object] = {f"last_{event}_at": now}
    if error:
        changes.update(last_error=error[:MAX_ERROR_LENGTH], last_error_at=now)
    connection_of(channel)
    ChannelConnection.objects.filter(channel=channel).update(**changes, updated_at=now)

"""How an answered request reaches the person: e-mailed to the request's contact address, the
package attached when it fits within PRIVACY_PACKAGE_MAIL_LIMIT, else a one-time link to it.
The link's token is stored only as a hash; it works once, until it expires
(PRIVACY_PACKAGE_LINK_DAYS), and the package is emptied when fetched or expired."""

import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import token_hash
from core.exceptions import ApplicationError
from privacy.models import PackageLink, SubjectRequest


@dataclass(frozen=True)
class Sent:
    """Where the answer went, and the link when the package was too large to attach."""

    to: str
    link: PackageLink | None = None


def contact_address(request: SubjectRequest) -> str:
    """The request's contact when it is an e-mail address; empty when it is not (a postal
    address, a phone number: the officer sends the package another way)."""
    contact = request.contact.strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def _moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y H:i")


def package_send(*, request: SubjectRequest, file_name: str, package: IO[bytes]) -> Sent | None:
    """E-mail the answer to the request's contact address: the package attached, or a link to
    it when it is larger than the mail limit. None when the contact is no e-mail address.
    Either way the package is read whole: an attachment within the mail limit, or into the
    link's database column (``PackageLink.package``) until it is fetched or expires."""
    address = contact_address(request)
    if not address:
        return None
    link = None
    size = package.seek(0, io.SEEK_END)
    package.seek(0)
    payload = package.read()
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        context: dict[str, object] = {"subject_request": request, "file_name": file_name}
        if size > settings.PRIVACY_PACKAGE_MAIL_LIMIT:
            token = secrets.token_urlsafe(32)
            link = PackageLink.objects.create(
                request=request,
                token_hash=token_hash(token),
                file_name=file_name,
                package=payload,
                size=size,
                expires_at=timezone.now() + timedelta(days=settings.PRIVACY_PACKAGE_LINK_DAYS),
            )
            context["url"] = settings.SITE_URL + reverse("privacy:package-link", args=[token])
            context["expires"] = _moment(link.expires_at)
        message = EmailMessage(
            subject=_("Your data held by Örebro kommun, case %s") % request.case_number,
            body=render_to_string("privacy/email/package.txt", context),
            to=[address],
        )
        if link is None:
            message.attach(file_name, payload, "application/zip")
        message.send()
    return Sent(to=address, link=link)


def _usable(link: PackageLink | None, now: datetime) -> PackageLink:
    """The link, if it still works; else the refusal the person reads, in Swedish."""
    if link is None:
        raise ApplicationError(
            _(
                "There is no package at this address. Check that you copied the whole link "
                "from the e-mail."
            ),
            code="unknown",
        )
    if link.downloaded_at is not None:
        raise ApplicationError(
            _(
                "This link has already been used: for your safety the package can be fetched "
                "only once. Contact Örebro kommun (Servicecenter 019-21 10 00) and we will "
                "send it again."
            ),
            code="used",
        )
    if link.expires_at <= now or link.emptied_at is not None:
        raise ApplicationError(
            _(
                "This link was valid until %s and has expired. Contact Örebro kommun "
                "(Servicecenter 019-21 10 00) and we will send the package again."
            )
            % _moment(link.expires_at),
            code="expired",
        )
    return link


def package_link_get(*, token: str) -> PackageLink:
    """The link the token opens, if it still works (the page before the fetch)."""
    link = PackageLink.objects.defer("package").filter(token_hash=token_hash(token)).first()
    return _usable(link, timezone.now())


@transaction.atomic
def package_link_fetch(*, token: str) -> tuple[str, bytes]:
    """The package, once: the fetch is logged on the link and the package emptied, so a
    second fetch is refused. Returns (file name, bytes)."""
    now = timezone.now()
    link = _usable(
        PackageLink.objects.select_for_update().filter(token_hash=token_hash(token)).first(), now
    )
    payload = bytes(link.package)
    link.downloaded_at = now
    link.emptied_at = now
    link.package = b""
    link.save(update_fields=["downloaded_at", "emptied_at", "package"])
    return link.file_name, payload


def package_links_empty(now: datetime) -> list[str]:
    """Empty the packages whose links have expired unused; a line for each, for the report."""
    expired = PackageLink.objects.filter(expires_at__lte=now, emptied_at__isnull=True)
    lines = [
        _("Expired link to a package %s emptied.") % pk
        for pk in expired.values_list("pk", flat=True)
    ]
    expired.update(package=b"", emptied_at=now)
    return lines

"""The public forms of moderation: an author's request for reconsideration (with its limit per
address) and the month the public account shows."""

import hashlib
import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from accounts.api.throttling import ClientAddressMixin
from records.forms import PublicForm

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ReconsiderationRequestForm(PublicForm):
    """Asks for the comment's link, and optionally why and where to send the answer."""

    TOKEN_SALT = "moderation.reconsideration-form"
    VISIBLE = ("permalink", "reason", "contact")

    permalink = forms.URLField(
        label=_("Link to your comment"),
        help_text=_(
            "Copy the link to the comment on Facebook, Instagram, LinkedIn or YouTube, for "
            "example from the comment's time stamp."
        ),
        max_length=1000,
        assume_scheme="https",
        error_messages={
            "required": _("Give the link to your comment."),
            "invalid": _("Give the whole link, beginning with https://."),
        },
    )
    reason = forms.CharField(
        label=_("Why should the decision be reconsidered? (optional)"),
        help_text=_("Tell us what you think we should take into account."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    contact = forms.EmailField(
        label=_("E-mail for the answer (optional)"),
        help_text=_(
            "We send the answer here. Leave it empty if you do not want an answer by e-mail."
        ),
        required=False,
        max_length=200,
    )
    field_order = ["permalink", "reason", "contact", "website", "token"]


class ReconsiderationFormThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Posts of the form per address (the one the trusted proxies saw), at the rate named
    ``reconsideration_form`` in the settings. The address is kept only as a keyed hash, in the
    cache, for the rate's period."""

    scope = "reconsideration_form"

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = self.get_ident(request)
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ident}".encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def allow(self, request: HttpRequest) -> bool:
        # The rate check reads only the request's headers, which a plain HttpRequest has.
        return self.allow_request(request, None)  # type: ignore[arg-type]


def month_parse(value: str) -> date | None:
    """``YYYY-MM`` as the first of that month, or None when it is not a month."""
    match = MONTH.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if 1970 <= year <= 9998 and 1 <= month <= 12 else None


class StatisticsMonthForm(forms.Form):
    manad = forms.CharField(label=_("Month"), required=False)

    def clean_manad(self) -> date:
        value = self.cleaned_data.get("manad") or ""
        if not value:
            return timezone.localdate().replace(day=1)
        month = month_parse(value)
        if month is None:
            raise forms.ValidationError(_("Choose a month as year and month, e.g. 2026-03."))
        return month

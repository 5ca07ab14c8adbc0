"""The public form for requesting public documents, and the filters of the public register."""

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from channels_app.models import Channel
from records.choices import RecordDirection
from records.models import Record

TOKEN_SALT = "records.access-request-form"
TOKEN_MAX_AGE = 60 * 60 * 4


def form_token_issue(salt: str = TOKEN_SALT) -> str:
    """A signed one-time nonce for one rendering of a public form."""
    return signing.TimestampSigner(salt=salt).sign(secrets.token_urlsafe(24))


class PublicForm(forms.Form):
    """What every form the public sends has: a field people never see (a bot that fills every
    field is refused), a signed one-time nonce, and help texts and errors read with their field.
    A subclass names its ``VISIBLE`` fields and its nonce's ``TOKEN_SALT``."""

    VISIBLE: tuple[str, ...] = ()
    TOKEN_SALT = TOKEN_SALT

    website = forms.CharField(required=False, label=_("Leave this field empty"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Screen readers read the help text, and any error, with the field (WCAG 1.3.1, 3.3.1).
        for name in self.VISIBLE:
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-help"

    @classmethod
    def token_issue(cls) -> str:
        return form_token_issue(cls.TOKEN_SALT)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.VISIBLE:
            if name in self.errors:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-help id_{name}-error"

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Reload the page."))
        return ""

    def clean_token(self) -> str:
        try:
            return signing.TimestampSigner(salt=self.TOKEN_SALT).unsign(
                self.cleaned_data["token"], max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("The form has expired or was altered. Reload the page and send it again.")
            ) from error

    def non_field_errors_with_hidden(self) -> list[Any]:
        """Errors of hidden fields shown with the form's own errors."""
        errors = list(self.non_field_errors())
        for name in ("token", "website"):
            errors += list(self.errors.get(name, []))
        return errors


class AccessRequestForm(PublicForm):
    """Asks only what is needed to find and send the documents: no name, no purpose (TF 2:18)."""

    scope = forms.CharField(
        label=_("Which documents do you want?"),
        help_text=_("For example a number from the register, a channel, a date or a subject."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Say which documents you want.")},
    )
    contact = forms.CharField(
        label=_("Where should we send the documents? (optional)"),
        help_text=_("An e-mail or postal address. You may also leave it empty and collect them."),
        required=False,
        max_length=200,
    )

    VISIBLE = ("scope", "contact")
    field_order = ["scope", "contact", "website", "token"]


class PublicRegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All")), *list(RecordDirection.choices)],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # EXISTS: one index probe per channel, not a join over every entry in the register.
        channels = Channel.objects.filter(
            Exists(Record.objects.filter(channel=OuterRef("pk")))
        ).order_by("name", "platform")
        channel_field = self.fields["channel"]
        year_field = self.fields["year"]
        assert isinstance(channel_field, forms.ChoiceField)
        assert isinstance(year_field, forms.ChoiceField)
        channel_field.choices = [("", _("All"))] + [(c.slug, str(c)) for c in channels]
        year_field.choices = [("", _("All"))] + [(y, str(y)) for y in years]

"""The episode form in admin: files chosen before an error are kept for the next try, every
input has a label, and the errors are summarised at the top with a link to each field."""

import secrets
from pathlib import PurePath
from typing import Any

from django import forms
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.forms.formsets import BaseFormSet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import split_moment_label
from podcasts.models import Episode

FILE_FIELDS = ("audio", "transcript", "sign_language_video")
KEPT_FOLDER = "podcasts/kept"
KEPT_SALT = "podcasts.episode-form.kept-file"
KEPT_MAX_AGE = 24 * 60 * 60


class KeptFileWidget(forms.HiddenInput):
    """The signed name of a file kept from an earlier try, and a visible line naming it."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        hidden = super().render(name, value, attrs, renderer)
        kept = _kept_read(value)
        if kept is None:
            return hidden
        return format_html(
            '{}<p class="kept-file">{}</p>',
            hidden,
            _("Kept from your last try: %(name)s. Choose another file to replace it.")
            % {"name": kept["name"]},
        )

    @property
    def is_hidden(self) -> bool:
        return False  # the line naming the file is for the editor to read


def _kept_read(token: Any, user_pk: int | None = None) -> dict[str, str] | None:
    """The kept file a token names, if its signature holds (and it was kept for ``user_pk``)."""
    if not token:
        return None
    try:
        kept = signing.loads(str(token), salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if user_pk is not None and kept.get("user") != user_pk:
        return None
    path = str(kept.get("path", ""))
    if not path.startswith(f"{KEPT_FOLDER}/") or not default_storage.exists(path):
        return None
    return {"path": path, "name": str(kept.get("name", PurePath(path).name))}


class EpisodeAdminForm(forms.ModelForm):
    kept_audio = forms.CharField(
        required=False, widget=KeptFileWidget, label=gettext_lazy("chosen audio")
    )
    kept_transcript = forms.CharField(
        required=False, widget=KeptFileWidget, label=gettext_lazy("chosen transcript")
    )
    kept_sign_language_video = forms.CharField(
        required=False, widget=KeptFileWidget, label=gettext_lazy("chosen video")
    )

    user_pk: int | None = None  # set by the admin: a kept file serves only whoever chose it

    class Meta:
        model = Episode
        fields = list(FILE_FIELDS)  # the admin gives the form its fieldsets' fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        split_moment_label(self, "publish_at", _("Publish date"), _("Publish time"))

    def clean(self) -> dict[str, Any]:
        """A file field left empty takes the file kept from the last try, so the model's checks
        read it as a new upload."""
        cleaned = super().clean() or {}
        for name in FILE_FIELDS:
            if name in self.files:
                continue
            kept = _kept_read(cleaned.get(f"kept_{name}"), self.user_pk)
            if kept is not None:
                cleaned[name] = File(default_storage.open(kept["path"], "rb"), name=kept["name"])
        return cleaned

    def keep_files(self) -> None:
        """After a refused try: store each file chosen in it and put its signed name in the
        form, so the next try need not choose it again."""
        assert isinstance(self.data, QueryDict)
        data = self.data.copy()
        for name in FILE_FIELDS:
            upload = self.files.get(self.add_prefix(name))
            if upload is None or name in self.errors:
                continue  # nothing chosen, or a file that was itself refused
            original = PurePath(upload.name or name).name
            path = f"{KEPT_FOLDER}/{secrets.token_hex(16)}{PurePath(original).suffix.lower()}"
            upload.seek(0)
            stored = default_storage.save(path, upload)
            data[self.add_prefix(f"kept_{name}")] = signing.dumps(
                {"path": stored, "name": original, "user": self.user_pk}, salt=KEPT_SALT
            )
        self.data = data

    def kept_files_delete(self) -> None:
        for name in FILE_FIELDS:
            kept = _kept_read(self.data.get(self.add_prefix(f"kept_{name}")), self.user_pk)
            if kept is not None:
                default_storage.delete(kept["path"])


class GuestForm(forms.ModelForm):
    """A guest's inputs sit in a table without labels of their own: each says its name, and
    that it is required for every guest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = capfirst(str(field.label or ""))
            if field.required:
                label = _("%(label)s (required for every guest)") % {"label": label}
            field.widget.attrs["aria-label"] = label


def error_summary(form: forms.BaseForm, formsets: list[BaseFormSet]) -> list[dict[str, str]]:
    """Every error of the form and its inline forms: the field's label, the message, and the id
    of the input to jump to."""
    summary: list[dict[str, str]] = []

    def add(one: forms.BaseForm, errors: ErrorDict) -> None:
        for name, messages in errors.items():
            field = one.fields.get(name)
            anchor = one[name].id_for_label if field is not None else ""
            label = capfirst(str(field.label)) if field is not None else ""
            for message in messages:
                summary.append({"id": anchor or "", "label": label, "message": str(message)})

    add(form, form.errors)
    for formset in formsets:
        for message in formset.non_form_errors():
            summary.append({"id": "", "label": "", "message": str(message)})
        for one in formset.forms:
            add(one, one.errors)
    return summary

"""A change on the admin's history pages as a person reads it: the field's name, and its old and
new values with choices in words, yes/no and times in Europe/Stockholm, where
django-simple-history would show the stored value ("paused", "True", a UTC time)."""

from datetime import datetime
from typing import Any

from django import template
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _field(model: Any, name: str) -> Any:
    """The model field that simple-history names by its capitalised verbose name."""
    if model is None:
        return None
    for field in model._meta.get_fields():
        if capfirst(str(getattr(field, "verbose_name", ""))) == str(name):
            return field
    return None


def _words(field: Any, value: Any) -> str:
    """The value as simple-history gives it (a string), told in words."""
    text = str(value)
    # An empty foreign key comes as simple-history's "Deleted user (pk=None)", translated.
    if value is None or text in ("", "None") or text.endswith("(pk=None)"):
        return "–"
    if field is None:
        return text
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if text == "True" else _("no"))
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return text


@register.simple_tag
def history_change_words(record: Any, change: Any) -> SafeString:
    field = _field(getattr(record, "instance_type", None), change["field"])
    return format_html(
        "<strong>{}:</strong> {}&nbsp;&rarr;&nbsp;&nbsp;{}",
        change["field"],
        _words(field, change["old"]),
        _words(field, change["new"]),
    )

"""What the Django admin and third-party apps leave in English or unlabelled whatever the
language: the yes/no icons' text, the time input's label, crontab schedules, and labels of
third-party models not marked for translation.
``admin_words_install`` is called once, when the apps are ready."""

import calendar
import re
from typing import Any

import django_celery_beat.models
from cron_descriptor import Options, get_description
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.widgets import AdminSplitDateTime
from django.templatetags.static import static
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ICONS = {True: ("yes", _("Yes")), False: ("no", _("No")), None: ("unknown", _("Unknown"))}


def boolean_icon(value: bool | None) -> SafeString:
    """Django's yes/no/unknown icon, its text in words ("Ja"), not Python's "True"."""
    name, text = ICONS[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def crontab_description(expression: str, options: Options | None = None) -> str:
    """A crontab schedule in the language of the page, with a 24-hour clock ("Vid 07:00"),
    whatever the locale of the process."""
    options = Options()
    options.locale_code = "sv_SE" if get_language() == "sv" else "en_US"
    options.use_24hour_time_format = True
    return _calendar_names_translated(get_description(expression, options))


def _calendar_names_translated(text: str) -> str:
    """cron-descriptor names days and months in the process's locale (``calendar``), not in
    its own translation; they are replaced by Django's names in the page's language."""
    names = [(calendar.day_name[i], WEEKDAYS[i]) for i in range(7)]
    names += [(calendar.month_name[m], MONTHS[m]) for m in range(1, 13)]
    for found, wanted in names:
        text = re.sub(rf"\b{re.escape(found)}\b", str(wanted), text)
    return text


def _labels() -> dict[Any, dict[str, Any]]:
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from django_celery_beat.models import PeriodicTask

    return {
        PeriodicTask: {"task": _("task name")},
        SocialAccount: {"user": _("user")},
        Authenticator: {
            "user": _("user"),
            "type": _("type"),
            "data": _("data"),
            "created_at": _("created"),
            "last_used_at": _("last used"),
        },
    }


def admin_words_install() -> None:
    # Django imports the icon function from this module each time it draws one.
    admin_list._boolean_icon = boolean_icon  # type: ignore[attr-defined]
    # Django's date-and-time input labels the date only; ours labels both (the template is in
    # accounts/templates, where the form renderer finds it).
    AdminSplitDateTime.template_name = "admin/widgets/split_datetime_labelled.html"
    # django-celery-beat describes a crontab through this name, in the process's locale.
    django_celery_beat.models.get_description = crontab_description
    for model, labels in _labels().items():
        for field, label in labels.items():
            model._meta.get_field(field).verbose_name = label

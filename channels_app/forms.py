"""The supervision interval as an editor thinks of it: a number of working days or hours, not a
raw duration ("1 00:00:00")."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
UNITS = [("days", _("working days")), ("hours", _("working hours"))]


def working_time_words(value: timedelta | None) -> str:
    """E.g. "1 arbetsdag", "4 arbetstimmar", "1 arbetsdag och 4 arbetstimmar"."""
    if value is None:
        return "–"
    days, rest = divmod(value, DAY)
    hours = round(rest / HOUR)
    parts = []
    if days:
        parts.append(
            ngettext("%(count)s working day", "%(count)s working days", days) % {"count": days}
        )
    if hours or not parts:
        parts.append(
            ngettext("%(count)s working hour", "%(count)s working hours", hours) % {"count": hours}
        )
    return str(_(" and ")).join(parts)


class WorkingTimeWidget(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.NumberInput(attrs={"min": 1, "aria-label": _("number"), "style": "width:5em"}),
            forms.Select(choices=UNITS, attrs={"aria-label": _("unit of time")}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: timedelta | None) -> list[Any]:
        if not value:
            return [None, "days"]
        if value % DAY == timedelta(0):
            return [value // DAY, "days"]
        return [round(value / HOUR), "hours"]


class WorkingTimeField(forms.MultiValueField):
    """Whole working days or hours; the due times count them on the Swedish working calendar."""

    widget = WorkingTimeWidget

    def __init__(self, **kwargs: Any) -> None:
        for key in ("max_length", "encoder", "decoder"):
            kwargs.pop(key, None)
        fields = (forms.IntegerField(min_value=1), forms.ChoiceField(choices=UNITS))
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[Any]) -> timedelta | None:
        if not data_list:
            return None
        number, unit = data_list
        return number * (DAY if unit == "days" else HOUR)

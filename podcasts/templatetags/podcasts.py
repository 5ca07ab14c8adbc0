from django import template
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from podcasts.media import file_url

register = template.Library()


@register.simple_tag
def media_url(file: FieldFile) -> str:
    return file_url(file, absolute=False) if file else ""


@register.filter
def duration(seconds: int) -> str:
    """1 h 5 min, 42 min, or 30 s."""
    minutes, secs = divmod(int(seconds or 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)s min") % {"m": minutes}
    return _("%(s)s s") % {"s": secs}

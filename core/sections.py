"""Sections an upper app adds to a page a lower app renders (publishing's sign-language parity
on moderation's metrics page and on /insyn/), so the lower app imports nothing above it. An app
registers a section in its ``AppConfig.ready()``; the page renders every section registered for
it, in registration order, with the arguments the page gives."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict[str, Any]]


SECTIONS: dict[str, list[Section]] = {}


def page_section_register(page: str, *, template: str, context: Callable[..., Any]) -> None:
    sections = SECTIONS.setdefault(page, [])
    if not any(section.template == template for section in sections):
        sections.append(Section(template, context))


def page_sections_render(page: str, request: HttpRequest, **arguments: Any) -> SafeString:
    """The HTML of the page's sections (empty when no app added any)."""
    parts = [
        render_to_string(section.template, section.context(**arguments), request=request)
        for section in SECTIONS.get(page, [])
    ]
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, autoescaped)

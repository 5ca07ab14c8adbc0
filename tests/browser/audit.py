"""One check for every page a journey passes: axe-core's WCAG 2.1 AA rules at 1280 and at 320 px,
and at 320 px no sideways scrolling of the page itself."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

WIDTHS = (1280, 320)
# The innermost elements that reach past the right edge, to say what makes the page too wide.
STICKING_OUT = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right
                                          > document.documentElement.clientWidth + 0.5))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
            + ' ' + Math.round(e.getBoundingClientRect().right))"""


def page_audit(page: Page, axe_violations: Callable[[Page], list[dict[str, Any]]]) -> list[Any]:
    """What is wrong with the page as it is now, at both widths; the page is left at 1280 px."""
    problems: list[Any] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems += [(width, page.url, violation) for violation in axe_violations(page)]
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(STICKING_OUT)
            problems.append((width, page.url, f"the page scrolls sideways by {overflow} px", wide))
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    return problems

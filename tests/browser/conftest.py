"""Browser tests: Debian's Chromium driven by Playwright against the live test server, with
axe-core checking WCAG 2.1 AA on every page a test visits."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright runs an event loop in this thread; Django's ORM calls in the test are still
    # synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh page on the live server; the test fails if the page broke the Content Security
    Policy or threw a script error."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == [], problems


@pytest.fixture
def axe_violations() -> Callable[[Page], list[dict[str, Any]]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    axe = Axe()

    def run(page: Page) -> list[dict[str, Any]]:
        results = axe.run(page, options=WCAG_AA)
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
        ]

    return run


@pytest.fixture
def login(page: Page) -> Callable[[str, str], None]:
    """Sign in through the real login form."""

    def sign_in(email: str, password: str = "correct horse battery") -> None:
        page.goto("/accounts/login/")
        page.get_by_label("E-postadress").fill(email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def login_with_mfa(
    page: Page, settings: Any, axe_violations: Callable[[Page], list[dict[str, Any]]]
) -> Callable[[Any], None]:
    """Sign in as production requires: password, then the code from an authenticator app;
    both pages pass the audit at 1280 and 320 px."""
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    from tests.browser.audit import page_audit

    settings.MFA_REQUIRED_FOR_STAFF = True
    # One step either side, as authenticator apps are usually allowed: on a loaded machine the
    # 30-second step may turn between reading the code and the server checking it.
    settings.MFA_TOTP_TOLERANCE = 1

    def sign_in(user: Any, password: str = "correct horse battery") -> None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto("/accounts/login/")
        assert page_audit(page, axe_violations) == []
        page.get_by_label("E-postadress").fill(user.email)
        page.get_by_label("Lösenord").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Logga in").click()
        code = page.locator("input[name=code]")
        expect(code).to_be_visible()
        assert page_audit(page, axe_violations) == []
        counters = list(yield_hotp_counters_from_time())
        code.fill(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
        assert "/2fa/" not in page.url

    return sign_in

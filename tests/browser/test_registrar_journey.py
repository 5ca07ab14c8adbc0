"""The registrar's main journey in a real browser: sign in with two-factor authentication,
decide a request for public documents, preview exactly what the requester will get, see the
detectors' warnings, mask the personal data in one step, deliver, and read the delivered
document as the requester will. axe-core checks every page at 1280 and 320 px."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from records.choices import RequestDecision, RequestStatus
from records.delivery import READABLE_NAME
from records.models import AccessRequest
from records.services import access_request_submit, record_register
from tests.browser.audit import page_audit
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TEXT = "Min mamma får för lite hjälp. Ring mig på 070-123 45 67, jag är 811218-9876."


@pytest.fixture
def request_with_entry(make_user):
    clerk = make_user(Role.REGISTRAR)
    record = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True, name="Örebro kommun"),
            clerk,
            text=TEXT,
            subject="Synpunkt om hemtjänsten",
        )
    )
    request = access_request_submit(
        scope="Kommentarer om hemtjänsten i november", contact="", form_nonce="journey"
    )
    request.records.set([record])
    return request


def test_the_registrar_previews_masks_and_delivers(
    page, login_with_mfa, axe_violations, registrar, request_with_entry
):
    login_with_mfa(registrar)
    page.goto("/admin/records/accessrequest/")
    expect(page.get_by_role("link", name=str(request_with_entry))).to_be_visible()
    assert page_audit(page, axe_violations) == []
    if os.environ.get("SAVE_SCREENSHOTS"):  # README's picture of the registrar's start page
        page.screenshot(path=SCREENSHOTS / "registrar.png")

    with page.expect_navigation():
        page.get_by_role("link", name=str(request_with_entry)).click()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Beslut").select_option(RequestDecision.RELEASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara och fortsätt redigera").click()
    assert AccessRequest.objects.get().status == RequestStatus.DECIDED

    with page.expect_navigation():
        page.get_by_role("link", name="Förhandsgranska och lämna ut").click()
    warnings = page.get_by_role("heading", name="Detektorerna hittade 2 personuppgifter")
    expect(warnings).to_be_visible()
    expect(page.get_by_role("cell", name="811218-9876")).to_be_visible()
    expect(page.get_by_role("cell", name="070-123 45 67")).to_be_visible()
    assert page_audit(page, axe_violations) == []

    with page.expect_navigation():
        page.get_by_role("button", name="Maskera personuppgifter").click()
    expect(page.get_by_text("Personuppgifterna är maskerade")).to_be_visible()
    document = page.locator(".delivery-document")
    expect(document).to_contain_text("[personnummer]")
    assert "811218-9876" not in document.inner_text()
    assert page_audit(page, axe_violations) == []
    previewed = document.locator(".delivery-entry").inner_text()

    with page.expect_download() as download:
        page.get_by_role("button", name="Lämna ut: ladda ner paketet till den som begärt").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as package:
        readable = package.read(READABLE_NAME).decode()
    assert AccessRequest.objects.get().status == RequestStatus.DELIVERED

    # Where the requester looks: the readable document, as delivered.
    page.set_content(readable)
    expect(page.get_by_role("heading", level=1, name="Beslut och handlingar")).to_be_visible()
    assert page.locator(".delivery-entry").inner_text() == previewed
    expect(page.get_by_role("heading", name="Så överklagar du")).to_be_visible()
    assert page_audit(page, axe_violations) == []

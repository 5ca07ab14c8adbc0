"""Issue 21's walk in a real browser, on the demo data `make run` seeds: the data-protection
officer takes the demo commenter's subject-access request, finds every item, entry, note and
block about her, decides, previews the package (the secret entry withheld with its provision,
another person's identity number masked) and answers; the package is larger than the mail
limit, so she is mailed a link that works once; the retention run removes the orphaned
platform account and the officer reads its report. axe-core checks every page at 1280 and
320 px, the person's pages behind the link too."""

import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.services import system_user
from channels_app import seed as channels_seed
from moderation import seed as moderation_seed
from moderation.demo_privacy import AUTHOR_NAME, CASE_NUMBER, privacy_demo_seed
from moderation.models import PlatformAccount
from privacy.choices import SubjectRequestStatus
from privacy.models import PackageLink, SubjectRequest
from privacy.package import DATA_NAME, READABLE_NAME
from privacy.services import retention_run
from records import seed as records_seed
from tests.browser.audit import page_audit

pytestmark = pytest.mark.django_db(transaction=True)
OTHER_PERSON = "811218-9876"  # the neighbour's identity number in the demo comment
PROVISION = "Sekretess enligt OSL 26 kap. 1 §"


@pytest.fixture
def demo(db):
    channels_seed.run()
    records_seed.run()
    moderation_seed._grounds()
    moderation_seed._reply_templates()
    assert privacy_demo_seed() == 2
    return SubjectRequest.objects.get(case_number=CASE_NUMBER)


def test_the_officer_answers_the_demo_commenters_request(
    page, browser, live_server, login_with_mfa, axe_violations, make_user, settings, demo
):
    settings.PRIVACY_PACKAGE_MAIL_LIMIT = 1000  # the demo package is larger: a link
    officer = make_user(Role.PRIVACY_OFFICER)
    login_with_mfa(officer)
    page.goto("/admin/privacy/subjectrequest/")
    assert page_audit(page, axe_violations) == []
    with page.expect_navigation():
        page.get_by_role("link", name=CASE_NUMBER).click()
    assert page_audit(page, axe_violations) == []

    # Every item, entry, note and block about her; the search is logged against the case.
    with page.expect_navigation():
        page.get_by_role("link", name="Sök efter personen").click()
    page.get_by_label("Plattformskonto, namn, profillänk, e-postadress eller telefonnummer").fill(
        "Anna Lind"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator("#content")
    for kind in ["Plattformskonto", "Kommentar", "Registerpost", "Moderatorns anteckning"]:
        expect(results).to_contain_text(kind)
    expect(results).to_contain_text("Blockering")
    assert demo.searches.filter(term="Anna Lind", searched_by=officer).exists()
    assert page_audit(page, axe_violations) == []

    # The decision, then the preview of exactly what she receives.
    page.goto(f"/admin/privacy/subjectrequest/{demo.pk}/change/")
    page.get_by_label("Beslut").select_option("granted")
    page.get_by_label("Svar").fill("Här är de uppgifter vi har om dig.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara och fortsätt redigera").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Förhandsgranska och svara").click()
    document = page.locator("article")
    expect(document).to_contain_text(PROVISION)
    expect(document).to_contain_text("[personnummer]")
    assert OTHER_PERSON not in document.inner_text()
    assert "min son" not in document.inner_text().lower()  # the secret comment's text
    assert page_audit(page, axe_violations) == []

    # The answer: the package is larger than the mail limit, so she is mailed a link.
    with page.expect_navigation():
        page.get_by_role("button", name="Svara: skicka registerutdraget med e-post till").click()
    expect(page.locator(".messagelist")).to_contain_text("större än gränsen för e-post")
    assert SubjectRequest.objects.get(pk=demo.pk).status == SubjectRequestStatus.DELIVERED
    assert page_audit(page, axe_violations) == []
    (message,) = mail.outbox
    assert message.to == ["anna.lind@example.se"]
    assert message.attachments == []
    (url,) = re.findall(r"http\S+/registerutdrag/\S+/", str(message.body))

    # She follows the link once: the page, then the file.
    person = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    person.goto(urlsplit(url).path)
    expect(person.get_by_role("heading", name="Dina uppgifter hos Örebro kommun")).to_be_visible()
    assert page_audit(person, axe_violations) == []
    with person.expect_download() as download:
        person.get_by_role("button", name="Hämta registerutdraget").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as package:
        readable = package.read(READABLE_NAME).decode()
        data = package.read(DATA_NAME).decode()
    assert PROVISION in readable
    assert "[personnummer]" in readable
    assert OTHER_PERSON not in readable + data
    assert {held["kind"] for held in json.loads(data)["held"]} >= {
        "Plattformskonto",
        "Kommentar",
        "Registerpost",
        "Moderatorns anteckning",
        "Blockering",
    }
    assert PackageLink.objects.get().downloaded_at is not None

    # Twice: refused, in words she understands.
    person.goto(urlsplit(url).path)
    expect(person.get_by_role("alert")).to_contain_text("Länken har redan använts")
    assert person.get_by_role("button", name="Hämta registerutdraget").count() == 0
    assert page_audit(person, axe_violations) == []
    person.context.close()

    # The nightly retention run removes the orphaned demo account; the officer reads why.
    run = retention_run(actor=system_user())
    assert not PlatformAccount.objects.filter(external_id="demo-orphan").exists()
    assert PlatformAccount.objects.filter(name=AUTHOR_NAME).exists()  # she still has items
    page.goto("/admin/privacy/retentionrun/")
    assert page_audit(page, axe_violations) == []
    with page.expect_navigation():
        page.locator("#result_list tbody a").first.click()
    assert page.url.endswith(f"/retentionrun/{run.pk}/change/")
    expect(page.locator("#content")).to_contain_text("utan kvarvarande inlägg togs bort")
    assert page_audit(page, axe_violations) == []

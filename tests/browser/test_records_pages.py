"""The public register and the request form in a real browser, checked by axe-core."""

import pytest

from accounts.choices import Role
from records.models import AccessRequest
from records.services import record_register, record_secrecy_mark
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entries(make_user):
    registrar = make_user(Role.REGISTRAR)
    channel = ChannelFactory(registered=True, name="Örebro kommun", platform="facebook")
    linkedin = ChannelFactory(registered=True, name="Örebro kommun", platform="linkedin")
    record_register(**registration_kwargs(linkedin, registrar, subject="Inlägg om jobbmässan"))
    public = record_register(
        **registration_kwargs(channel, registrar, subject="Fråga om badhusets öppettider")
    )
    secret = record_secrecy_mark(
        record=record_register(
            **registration_kwargs(channel, registrar, subject="Klagomål om skolan")
        ),
        provision="OSL 26 kap. 1 §",
        actor=registrar,
    )
    return public, secret


def test_register_page_is_accessible_and_hides_secret_content(page, axe_violations, entries):
    public, secret = entries
    page.goto("/diarium/")
    assert page.get_by_role("heading", level=1).inner_text() == "Diarium för sociala medier"
    assert page.get_by_role("cell", name=secret.number).is_visible()
    assert "Klagomål om skolan" not in page.content()
    # The same name on two platforms: each channel is shown with its platform.
    assert page.get_by_role("cell", name="Örebro kommun (Facebook)").is_visible()
    assert page.get_by_role("cell", name="Örebro kommun (LinkedIn)").is_visible()
    channels = page.get_by_label("Kanal").locator("option").all_inner_texts()
    assert channels == ["Alla", "Örebro kommun (Facebook)", "Örebro kommun (LinkedIn)"]
    assert axe_violations(page) == []
    page.get_by_label("Sök", exact=True).fill("badhusets")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name=public.number).is_visible()
    assert page.get_by_role("cell", name=secret.number).count() == 0
    assert axe_violations(page) == []


def test_request_form_is_accessible_and_accepts_an_anonymous_request(page, axe_violations):
    page.goto("/diarium/begaran/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ange vilka handlingar du vill ha.").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Vilka handlingar vill du ta del av?").fill("Kommentarer om badhuset i maj")
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Begäran mottagen"
    assert axe_violations(page) == []
    assert AccessRequest.objects.get().requester == ""

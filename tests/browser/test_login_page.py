import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible(page, axe_violations):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert axe_violations(page) == []


def test_staff_sign_in_and_reach_the_admin(page, login, editor):
    login(editor.email)
    page.goto("/admin/")
    assert page.locator("#site-name").is_visible()


def test_api_docs_render_without_a_cdn(page):
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info").wait_for()
    assert "Sociala medier" in page.locator(".swagger-ui .info").inner_text()

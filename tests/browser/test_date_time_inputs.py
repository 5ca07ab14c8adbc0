"""Every admin form with a date-and-time input (Django's split date and time) names both of
its inputs, and passes axe at 1280 and 320 px: the register's add form, a channel's capture
settings, an episode, a periodic task and a second factor."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.audit import page_audit

pytestmark = pytest.mark.django_db(transaction=True)

FORMS = [
    "/admin/records/record/add/",
    "/admin/moderation/channelconnection/add/",
    "/admin/podcasts/episode/add/",
    "/admin/django_celery_beat/periodictask/add/",
    "/admin/mfa/authenticator/add/",
]


def test_date_and_time_inputs_are_labelled(page, login, axe_violations):
    User.objects.create_superuser(
        email="root@orebro.se", password="correct horse battery", name="Root"
    )
    login("root@orebro.se")
    problems = []
    for path in FORMS:
        page.goto(path)
        times = page.locator("p.datetime input.vTimeField")
        expect(times.first).to_be_visible()
        # Open the closed fieldsets: a hidden input has no name to read.
        closed = page.locator("details:not([open]) > summary")
        while closed.count():
            closed.first.click()
        for i in range(times.count()):
            expect(times.nth(i)).to_have_accessible_name(re.compile(r"\S"))
        problems += page_audit(page, axe_violations)
    assert problems == []

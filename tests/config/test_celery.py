"""Tasks run on a real worker over the configured broker (Redis in CI)."""

import time

import pytest
from django.core import mail

from tests.celery_broker import real_worker


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_invitation(administrator, monkeypatch):
    from accounts.services import user_invite

    with real_worker(monkeypatch):
        user_invite(email="ny@orebro.se", name="Ny Person", roles=["editor"], actor=administrator)
        # The invitation, and the administrators' notice of the roles it grants.
        for _ in range(600):  # at most a minute: the CI machine may be loaded
            if len(mail.outbox) == 2:
                break
            time.sleep(0.1)
    invitations = [m for m in mail.outbox if m.to == ["ny@orebro.se"]]
    assert len(invitations) == 1
    assert "/accounts/password/reset/key/" in invitations[0].body
    assert [m.to for m in mail.outbox if m not in invitations] == [[administrator.email]]


def test_tasks_are_dispatched_after_commit(administrator, django_capture_on_commit_callbacks):
    from accounts.services import user_invite

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_invite(email="b@orebro.se", name="B", roles=["editor"], actor=administrator)
        assert mail.outbox == []
    # The administrators' notice of the roles granted, then the invitation.
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[administrator.email], ["b@orebro.se"]]

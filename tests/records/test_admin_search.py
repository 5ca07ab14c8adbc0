"""Registrars search the register admin by content and counterparty (issue 16): a word of the
text or the commenter's name finds the entry; a secret entry is found by its content only by
those who may see it, and such a find is logged like any view of secret content."""

import pytest
from django.urls import reverse

from records.models import Record, SecretAccessLog
from records.services import record_register, record_secrecy_mark
from tests.records.factories import ChannelFactory, registration_kwargs

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:records_record_changelist")


def _found(client, term: str, **filters: str) -> list[int]:
    response = client.get(CHANGELIST, {"q": term, **filters})
    assert response.status_code == 200
    return sorted(record.pk for record in response.context["cl"].result_list)


@pytest.fixture
def entries(registrar):
    channel = ChannelFactory.create()
    plowing = record_register(
        **registration_kwargs(
            channel, registrar, text="Varför plogas inte Storgatan?", counterparty_name="Anna Ek"
        )
    )
    lights = record_register(
        **registration_kwargs(
            channel,
            registrar,
            text="Gatlyktan vid skolan är trasig",
            counterparty_name="Bo Lind",
            counterparty_handle="bo.lind",
        )
    )
    return plowing, lights


def test_registrar_finds_an_entry_by_a_word_of_its_text(client, registrar, entries):
    plowing, lights = entries
    client.force_login(registrar)
    assert _found(client, "Storgatan") == [plowing.pk]
    assert _found(client, "gatlyktan") == [lights.pk]


def test_registrar_finds_an_entry_by_its_counterparty(client, registrar, entries):
    plowing, lights = entries
    client.force_login(registrar)
    assert _found(client, "Anna Ek") == [plowing.pk]
    assert _found(client, "bo.lind") == [lights.pk]


def test_search_keeps_the_registers_filters(client, registrar, entries):
    plowing, _lights = entries
    client.force_login(registrar)
    assert _found(client, "Storgatan", direction__exact="incoming") == [plowing.pk]
    assert _found(client, "Storgatan", direction__exact="drawn_up") == []


def test_a_secret_entry_is_not_found_by_its_text_by_those_who_may_not_see_it(
    client, registrar, moderator, entries
):
    plowing, _lights = entries
    record_secrecy_mark(record=plowing, provision="OSL 26 kap. 1 §", actor=registrar)
    client.force_login(moderator)
    assert _found(client, "Storgatan") == []
    assert _found(client, "Anna Ek") == []
    assert _found(client, plowing.number) == [plowing.pk]  # the number is public
    assert not SecretAccessLog.objects.exists()


def test_a_registrars_search_that_finds_a_secret_entry_is_logged(client, registrar, entries):
    plowing, lights = entries
    record_secrecy_mark(record=plowing, provision="OSL 26 kap. 1 §", actor=registrar)
    client.force_login(registrar)
    assert _found(client, "Storgatan") == [plowing.pk]
    (log,) = SecretAccessLog.objects.all()
    assert (log.record, log.user) == (plowing, registrar)
    assert "Storgatan" not in log.purpose  # the log does not repeat the secret words
    assert _found(client, "gatlyktan") == [lights.pk]  # a public find is not logged
    assert SecretAccessLog.objects.count() == 1
    assert Record.objects.count() == 2

"""Urgent items reach a person: a threat ingested through the API is at the top of the queue
with a short due time and its reason, the moderators are e-mailed at once and the on-call
webhook is posted (signed, without the comment's text); unclaimed, it escalates to the next
contact, at night too."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.services import system_user
from moderation import alerts
from moderation.alerts import urgent_items_sweep
from moderation.models import EscalationContact, Item, ThreatTerm, UrgentAlert
from moderation.platforms.http import CannedResponse, RecordingHttpClient
from moderation.services import item_claim
from tests.factories import ChannelFactory

URL = "/api/v1/moderation/ingest/"
THREAT = "Ni på kommunen är idioter. Jag ska döda er allihop."


@pytest.fixture
def webhook(monkeypatch, settings):
    settings.MODERATION_ALERT_WEBHOOK_URL = "https://jour.orebro.se/larm"
    settings.MODERATION_ALERT_WEBHOOK_SECRET = "delad-hemlighet"
    recorder = RecordingHttpClient(*[CannedResponse(202) for _ in range(5)])
    monkeypatch.setattr(alerts, "alert_http_client", lambda: recorder)
    return recorder


def ingest(client, external_id, text):
    body = {
        "items": [
            {
                "channel": "facebook-demo",
                "external_id": external_id,
                "kind": "comment",
                "event": "created",
                "occurred_at": timezone.now().isoformat(),
                "text": text,
                "author_id": f"author-{external_id}",
            }
        ]
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.content
    return Item.objects.get(external_id=external_id)


@pytest.mark.django_db(transaction=True)
def test_a_threat_is_first_in_the_queue_due_soon_and_alerts_at_once(
    token_client, moderator, webhook, api_client, django_capture_on_commit_callbacks
):
    ChannelFactory.create(connected=True, slug="facebook-demo")
    client = token_client("moderation:ingest")
    harmless = ingest(client, "c-1", "Kan ni skjuta upp mötet om förskolan till torsdag?")
    with django_capture_on_commit_callbacks(execute=True):
        threat = ingest(client, "c-2", THREAT)
    assert harmless.priority == 0
    assert threat.priority > 100
    assert threat.due_at <= timezone.now() + timedelta(minutes=60)
    assert {g.code for g in threat.suspected_grounds.all()} >= {"threat-incitement"}

    api_client.force_authenticate(moderator)
    queue = api_client.get("/api/v1/moderation/items/").json()["results"]
    assert queue[0]["id"] == threat.pk
    reasons = [hit["detail"] for hit in queue[0]["hits"]]
    assert "intent_harm: jag + ska + döda + er" in reasons

    (message,) = mail.outbox
    assert message.to == [moderator.email]
    assert "threat" in message.body.lower() or "hot" in message.body.lower()
    assert f"/queue/{threat.pk}/" in message.body
    (posted,) = webhook.requests
    payload = json.loads(posted.content)
    assert payload["item"] == threat.pk
    assert "threat-incitement" in payload["grounds"]
    assert "döda" not in posted.content.decode()  # the citizen's text stays with us
    digest = hmac.new(b"delad-hemlighet", posted.content, hashlib.sha256).hexdigest()
    assert posted.headers["X-Signature-256"] == f"sha256={digest}"
    assert UrgentAlert.objects.get(item=threat).webhook_status == "202"


@pytest.mark.django_db
def test_unclaimed_it_escalates_contact_by_contact_at_night(intake, moderator, settings):
    settings.MODERATION_ESCALATE_AFTER_MINUTES = 15
    EscalationContact.objects.create(order=1, name="Jour 1", email="jour1@orebro.se")
    EscalationContact.objects.create(order=2, name="Jour 2", email="jour2@orebro.se")
    actor = system_user()
    with time_machine.travel("2026-12-05 02:10 +0100", tick=False):  # a Saturday night
        item = intake(text="Jag vet var du bor. Du är död.")
        # The broker was down: the sweep sends the first alert.
        assert urgent_items_sweep(actor=actor) == {"urgent_alerted": 1, "urgent_escalated": 0}
        assert mail.outbox[-1].to == [moderator.email]
        assert urgent_items_sweep(actor=actor)["urgent_escalated"] == 0
    with time_machine.travel("2026-12-05 02:26 +0100", tick=False):
        assert urgent_items_sweep(actor=actor)["urgent_escalated"] == 1
        assert mail.outbox[-1].to == ["jour1@orebro.se"]
    with time_machine.travel("2026-12-05 02:42 +0100", tick=False):
        assert urgent_items_sweep(actor=actor)["urgent_escalated"] == 1
        assert mail.outbox[-1].to == ["jour2@orebro.se"]
    with time_machine.travel("2026-12-05 03:30 +0100", tick=False):
        assert urgent_items_sweep(actor=actor)["urgent_escalated"] == 0  # no one left
    assert list(item.urgent_alerts.order_by("level").values_list("level", flat=True)) == [0, 1, 2]


@pytest.mark.django_db
def test_a_claimed_item_does_not_escalate(intake, moderator, settings):
    EscalationContact.objects.create(order=1, name="Jour 1", email="jour1@orebro.se")
    actor = system_user()
    item = intake(text="Jag ska skjuta dig")
    urgent_items_sweep(actor=actor)
    item_claim(item=item, actor=moderator)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert urgent_items_sweep(actor=actor)["urgent_escalated"] == 0


@pytest.mark.django_db
def test_a_harmless_item_alerts_nobody(intake, moderator):
    intake(text="Slå till på rean på återbruket i helgen!")
    assert urgent_items_sweep(actor=system_user()) == {"urgent_alerted": 0, "urgent_escalated": 0}
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_editor_tunes_the_lexicon_in_admin_and_intake_reads_it(client, editor, intake):
    text = "Jag ska pulvrisera dig"
    assert intake(text=text, external_id="before").priority == 0
    client.force_login(editor)
    response = client.post(
        "/admin/moderation/threatterm/add/",
        {"category": "harm", "term": "  Pulvrisera ", "note": "nytt ord", "is_active": "on"},
    )
    assert response.status_code == 302, response.content
    term = ThreatTerm.objects.get(term="pulvrisera")
    assert term.history.get().history_user == editor
    item = intake(text=text, external_id="after")
    assert item.priority > 100
    hit = item.current_version.hits.get()
    assert (hit.detector, hit.matched) == ("threat", "Jag ska pulvrisera dig")
    refused = client.post(
        "/admin/moderation/threatterm/add/",
        {"category": "harm", "term": "sk*ta", "is_active": "on"},
    )
    assert refused.status_code == 200
    assert not ThreatTerm.objects.filter(term="sk*ta").exists()


@pytest.mark.django_db
def test_a_moderator_reads_the_lexicon_but_cannot_change_it(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/moderation/threatterm/").status_code == 200
    assert client.get("/admin/moderation/threatterm/add/").status_code == 403


@pytest.mark.django_db
def test_with_nobody_to_tell_the_alert_waits_for_someone(intake, make_user):
    from accounts.choices import Role

    intake(text="Jag ska skjuta dig")
    assert urgent_items_sweep(actor=system_user())["urgent_alerted"] == 0
    assert not UrgentAlert.objects.exists()
    moderator = make_user(Role.MODERATOR)
    assert urgent_items_sweep(actor=system_user())["urgent_alerted"] == 1
    assert mail.outbox[-1].to == [moderator.email]

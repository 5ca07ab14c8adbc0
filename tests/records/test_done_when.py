"""The issue's "done when", through the same pages a registrar and a citizen use: register an
item, mark it secret, handle an anonymous request with a partial release, run a previewed
disposal that skips an entry on legal hold, export a package that validates, and find the entry
on /diarium/ without its secret content."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from eark_validator.mets import MetsValidator
from eark_validator.structure import StructureStatus, validate_package_structure

from records import seed
from records.models import AccessRequest, DisposalRun, Record
from records.services import record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db


def test_registrar_and_citizen_walk_through(client, registrar, tmp_path):
    seed.run()
    channel = ChannelFactory.create(registered=True, name="Örebro kommun på Facebook")
    client.force_login(registrar)
    admin = "admin:records_"

    # 1. Register an item (the platform's time is the document date).
    when = timezone.localtime(timezone.now() - timedelta(hours=3))
    response = client.post(
        reverse(f"{admin}record_add"),
        {
            "channel": channel.pk,
            "source_id": "fb_10001",
            "direction": "incoming",
            "document_date_0": when.strftime("%Y-%m-%d"),
            "document_date_1": when.strftime("%H:%M:%S"),
            "subject": "Synpunkt om hemtjänsten",
            "reason": "received",
            "text": "Min mamma Berit, 19400101-1230, får för lite hjälp.",
            "counterparty_name": "Karin K",
        },
    )
    assert response.status_code == 302
    record = Record.objects.get(source_id="fb_10001")
    number = record.number
    assert number is not None

    # 2. Mark it secret (OSL 26:1).
    response = client.post(
        reverse(f"{admin}record_change", args=[record.pk]),
        {
            "subject": record.subject,
            "public_subject": record.public_subject,
            "is_secret": "on",
            "secrecy_provision": "OSL 26 kap. 1 §",
        },
    )
    assert response.status_code == 302

    # 3. An anonymous request through the public form, partly released with masking.
    citizen = Client()
    page = citizen.get(reverse("records:access-request")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    citizen.post(
        reverse("records:access-request"),
        {"scope": "Synpunkter om hemtjänsten", "token": token.group(1)},
    )
    request = AccessRequest.objects.get()
    response = client.post(
        reverse(f"{admin}accessrequest_change", args=[request.pk]),
        {
            "records": [record.pk],
            "decision": "partial",
            "decision_provision": "OSL 26 kap. 1 §",
            "masked_terms_text": "Berit",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse(f"{admin}accessrequest_changelist"),
        {"action": "deliver", "_selected_action": [request.pk]},
    )
    preview = reverse(f"{admin}accessrequest_delivery", args=[request.pk])
    assert response["Location"] == preview
    response = client.post(preview, {"action": "deliver"})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        released = json.loads(package.read(f"{number.replace(' ', '_').replace('/', '-')}.json"))
    assert "Berit" not in released["text"]
    assert "19400101" not in released["text"]
    assert released["counterparty"] == ""

    # 4. A previewed disposal that skips an entry on legal hold.
    old = [
        record_register(
            **registration_kwargs(
                channel,
                registrar,
                retention_class="exempel-kommentarer",
                document_date=timezone.now() - timedelta(days=3 * 366),
            )
        )
        for _ in range(2)
    ]
    client.post(
        reverse(f"{admin}record_change", args=[old[0].pk]),
        {
            "subject": old[0].subject,
            "public_subject": old[0].public_subject,
            "retention_class": old[0].retention_class_id,
            "legal_hold": "on",
            "legal_hold_reason": "Pågående JO-ärende",
        },
    )
    assert (
        client.post(
            reverse(f"{admin}disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
        ).status_code
        == 302
    )
    run = DisposalRun.objects.get()
    assert list(run.records.all()) == [old[1]]
    changelist = reverse(f"{admin}disposalrun_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [run.pk]})
    client.post(changelist, {"action": "execute", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert "Pågående JO-ärende" in run.report
    assert Record.objects.get(pk=old[0].pk).status == "active"
    assert Record.objects.get(pk=old[1].pk).status == "disposed"

    # 5. Export a package that validates.
    response = client.post(
        reverse(f"{admin}record_changelist"),
        {
            "action": "export_package",
            "_selected_action": [record.pk, old[1].pk],
        },
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        package.extractall(tmp_path)
    [root] = list(tmp_path.iterdir())
    assert validate_package_structure(str(root)).status == StructureStatus.WellFormed
    assert MetsValidator(str(root)).validate_mets("METS.xml")

    # 6. A citizen finds the entry on /diarium/ without its secret content.
    page = citizen.get(reverse("records:public-register"), {"q": number}).content.decode()
    assert number in page
    assert "Sekretess" in page
    assert "hemtjänsten" not in page
    assert "Berit" not in page

"""A data subject's request, through the admin a registrar or the data-protection officer uses:
the logged search across every holder, the package previewed and delivered with secret content
withheld and other people's data masked, the case's due date, extension and alert, and the
rectification appended to the register."""

import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from moderation.models import PlatformAccount
from moderation.services import block_create, item_decide, note_create
from privacy import services
from privacy.choices import SubjectRequestStatus
from privacy.models import PersonSearch, SubjectRequest
from privacy.package import DATA_NAME, READABLE_NAME
from privacy.tasks import subject_requests_alert
from records.choices import AmendmentKind
from records.models import Record
from records.services import record_secrecy_mark
from tests.moderation.factories import PlatformAccountFactory
from tests.records.factories import stored_media
from tests.records.media_server import JPEG
from tests.records.memory import BOUND, LARGE_IMAGE, member_sha256, peak_while

pytestmark = pytest.mark.django_db
OTHER_PERSON = "811218-9876"


def _add(client, **fields):
    data = {
        "case_number": "KS 2026/4711",
        "kind": "access",
        "requester": "Anna Andersson",
        "contact": "anna@example.se",
        "identifiers_text": "Anna Andersson\nanna@example.se",
        "description": "Vad har ni om mig?",
        "received_at_0": "2026-11-20",
        "received_at_1": "10:00",
    }
    data.update(fields)
    return client.post(reverse("admin:privacy_subjectrequest_add"), data)


@pytest.fixture
def commenter(intake, moderator, channel):
    """Anna comments twice; one comment names another person's identity number, the other
    is marked secret; a moderator notes and blocks her."""
    first = intake(text=f"Min granne {OTHER_PERSON} skräpar ner. Svara på anna@example.se")
    secret = intake(text="Min son mår dåligt i skolan och behöver hjälp.")
    account = PlatformAccount.objects.get(external_id="100001")
    note_create(text="Har skrivit förut om grannen.", author=account, actor=moderator)
    item_decide(item=first, action="remove", ground_codes=["harassment"], actor=moderator)
    block_create(author=account, channel=channel, ground_codes=["harassment"], actor=moderator)
    return first, secret, account


@pytest.fixture
def case(officer):
    return services.subject_request_create(
        case_number="KS 2026/4711",
        kind="access",
        requester="Anna Andersson",
        identifiers=["Anna Andersson", "anna@example.se"],
        actor=officer,
    )


def test_a_request_is_a_case_due_in_one_month(client, officer):
    client.force_login(officer)
    response = _add(client)
    assert response.status_code == 302, response.content.decode()
    request = SubjectRequest.objects.get()
    assert request.due_on == date(2026, 12, 20)
    assert request.identifiers == ["Anna Andersson", "anna@example.se"]
    assert request.status == SubjectRequestStatus.RECEIVED


def test_a_request_without_case_number_or_identifier_is_refused(client, officer):
    client.force_login(officer)
    page = _add(client, case_number=" ", identifiers_text="ab").content.decode()
    assert "Ange ärendets diarienummer." in page
    assert "Varje identifierare behöver minst 3 tecken." in page
    assert not SubjectRequest.objects.exists()


def test_the_extension_needs_a_reason_and_is_at_most_two_months(officer, case):
    with pytest.raises(Exception, match="två månader"):
        services.subject_request_extend(
            request=case, until=case.due_on + timedelta(days=70), reason="Många", actor=officer
        )
    with pytest.raises(Exception, match="skälet"):
        services.subject_request_extend(
            request=case, until=case.due_on + timedelta(days=30), reason=" ", actor=officer
        )
    extended = services.subject_request_extend(
        request=case, until=case.due_on + timedelta(days=30), reason="Omfattande", actor=officer
    )
    assert extended.due == case.due_on + timedelta(days=30)


def test_the_officers_are_alerted_once_before_the_due_date(officer, registrar, case):
    SubjectRequest.objects.filter(pk=case.pk).update(
        due_on=timezone.localdate() + timedelta(days=3)
    )
    assert subject_requests_alert() == 1
    assert subject_requests_alert() == 0
    (message,) = mail.outbox
    assert set(message.to) == {officer.email, registrar.email}
    assert "KS 2026/4711" in message.body


def test_the_search_finds_everything_about_the_commenter_and_is_logged(
    client, officer, commenter, case
):
    client.force_login(officer)
    page = client.get(
        reverse("admin:privacy_search", args=[case.pk]), {"term": "Anna Andersson"}
    ).content.decode()
    for kind in [
        "Plattformskonto",
        "Kommentar",
        "Registerpost",
        "Moderatorns anteckning",
        "Blockering",
        "Modereringsbeslut",
    ]:
        assert kind in page, kind
    log = PersonSearch.objects.get()
    assert (log.request, log.term, log.searched_by) == (case, "Anna Andersson", officer)
    assert log.found >= 7


def test_a_search_of_two_characters_is_refused_and_not_logged(client, officer, case):
    client.force_login(officer)
    page = client.get(reverse("admin:privacy_search", args=[case.pk]), {"term": "An"})
    assert "Sök på minst 3 tecken." in page.content.decode()
    assert not PersonSearch.objects.exists()


def test_the_package_withholds_secret_content_and_masks_other_people(
    client, officer, registrar, commenter, case
):
    _first, secret, _account = commenter
    record_secrecy_mark(record=secret.record, provision="OSL 26 kap. 1 §", actor=registrar)
    services.subject_request_decide(
        request=case, decision="granted", answer="Här är uppgifterna om dig.", actor=officer
    )
    client.force_login(officer)
    url = reverse("admin:privacy_package", args=[case.pk])
    preview = client.get(url).content.decode()
    assert "Sekretess enligt OSL 26 kap. 1 §" in preview
    assert "Min son mår dåligt" not in preview
    assert OTHER_PERSON not in preview
    assert "[personnummer]" in preview
    assert "anna@example.se" in preview  # her own address is hers to see
    assert SubjectRequest.objects.get().status == SubjectRequestStatus.DECIDED

    response = client.post(url)
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        readable = package.read(READABLE_NAME).decode()
        data = json.loads(package.read(DATA_NAME))
    assert readable.count("Sekretess enligt OSL 26 kap. 1 §") >= 2  # entry and item
    assert OTHER_PERSON not in readable
    assert OTHER_PERSON not in json.dumps(data)
    assert "lag (1998:112)" in readable
    assert "TF 2 kap. 4 §" in readable
    assert {held["kind"] for held in data["held"]} >= {"Registerpost", "Blockering"}
    assert SubjectRequest.objects.get().status == SubjectRequestStatus.DELIVERED


@pytest.fixture
def rectification(officer):
    return services.subject_request_create(
        case_number="KS 2026/4712",
        kind="rectification",
        requester="Anna Andersson",
        identifiers=["Anna Andersson"],
        actor=officer,
    )


def test_a_rectification_is_appended_and_the_snapshot_stays(
    client, officer, commenter, rectification
):
    first, _secret, _account = commenter
    client.force_login(officer)
    url = reverse("admin:privacy_correct", args=[rectification.pk])
    assert first.record.number in client.get(url).content.decode()
    response = client.post(
        url, {"records": [first.record.pk], "correction": "Namnet är Anna Andersén."}
    )
    assert response.status_code == 302
    record = Record.objects.get(pk=first.record.pk)
    assert record.counterparty_name == "Anna Andersson"
    (amendment,) = record.amendments.all()
    assert amendment.kind == AmendmentKind.CORRECTION
    assert "KS 2026/4712" in amendment.reason


def test_a_corrected_name_shows_wherever_the_account_is_read(
    client, officer, moderator, commenter, rectification, intake
):
    first, _secret, account = commenter
    later = intake(text="När plogas Storgatan?")
    client.force_login(officer)
    url = reverse("admin:privacy_correct", args=[rectification.pk])
    form = client.get(url).content.decode()
    ref = f"moderation.platformaccount:{account.pk}"
    assert f'value="{ref}"' in form
    response = client.post(
        url,
        {
            "accounts": [ref],
            "name": "Anna Andersén",
            "profile_url": "https://www.facebook.com/anna.andersen",
            "records": [first.record.pk, later.record.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()

    # The register keeps the name as received, with the correction appended.
    record = Record.objects.get(pk=first.record.pk)
    assert record.counterparty_name == "Anna Andersson"
    assert "Anna Andersén" in record.amendments.get().text
    # The request says what was corrected, from what to what.
    corrections = SubjectRequest.objects.get(pk=rectification.pk).corrections
    assert "”Anna Andersson” rättat till ”Anna Andersén”" in corrections.replace("“", "”")

    client.force_login(moderator)
    queue = client.get(reverse("admin:moderation_queue_item", args=[later.pk])).content.decode()
    assert "Anna Andersén" in queue
    assert "Anna Andersson" not in queue
    assert "https://www.facebook.com/anna.andersen" in queue
    item_page = client.get(reverse("admin:moderation_item_change", args=[later.pk]))
    assert "Anna Andersén" in item_page.content.decode()
    api = client.get(f"/api/v1/moderation/items/{later.pk}/").json()
    assert api["author"]["name"] == "Anna Andersén"
    assert api["author"]["profile_url"] == "https://www.facebook.com/anna.andersen"
    listed = client.get("/api/v1/moderation/items/").json()["results"]
    assert {row["author"]["name"] for row in listed if row["author"]} == {"Anna Andersén"}


def test_a_correction_needs_an_account_for_a_name_and_a_whole_link(
    client, officer, commenter, rectification
):
    _first, _secret, account = commenter
    client.force_login(officer)
    url = reverse("admin:privacy_correct", args=[rectification.pk])
    page = client.post(url, {"name": "Anna Andersén"}).content.decode()
    assert "Välj de plattformskonton" in page
    ref = f"moderation.platformaccount:{account.pk}"
    page = client.post(url, {"accounts": [ref], "profile_url": "inte en länk"}).content.decode()
    assert "hel webbadress" in page
    account.refresh_from_db()
    assert account.name == "Anna Andersson"
    assert SubjectRequest.objects.get(pk=rectification.pk).corrections == ""


def test_the_search_reads_a_constant_number_of_queries(
    client, officer, commenter, intake, case, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse("admin:privacy_search", args=[case.pk])
    with django_assert_max_num_queries(60) as few:
        client.get(url, {"term": "Anna Andersson"})
    for n in range(5):
        intake(text=f"Kommentar {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"term": "Anna Andersson"})


def test_the_search_finds_parts_of_a_name_but_the_package_only_the_person(
    client, officer, moderator, commenter, case
):
    namesake = PlatformAccountFactory.create(name="Anna Anderssonsdotter")
    note_create(text="En annan person.", author=namesake, actor=moderator)
    client.force_login(officer)
    search = client.get(reverse("admin:privacy_search", args=[case.pk]), {"term": "Anna Andersson"})
    assert "Anna Anderssonsdotter" in search.content.decode()
    services.subject_request_decide(request=case, decision="granted", answer="Svar.", actor=officer)
    preview = client.get(reverse("admin:privacy_package", args=[case.pk])).content.decode()
    assert "Anna Anderssonsdotter" not in preview
    assert "En annan person." not in preview


def test_content_erased_as_unlawful_is_stated_not_given(
    client, officer, moderator, intake, case, django_capture_on_commit_callbacks
):
    item = intake(text="Olagligt innehåll KANARIE")
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(
            item=item, action="remove", ground_codes=["child-abuse-material"], actor=moderator
        )
    services.subject_request_decide(request=case, decision="granted", answer="Svar.", actor=officer)
    client.force_login(officer)
    preview = client.get(reverse("admin:privacy_package", args=[case.pk])).content.decode()
    assert "KANARIE" not in preview
    assert "Raderat som olagligt innehåll" in preview


def test_the_package_gives_the_persons_media_files_and_withholds_a_secret_entrys(
    client, officer, registrar, commenter, case
):
    first, secret, _account = commenter
    shown = stored_media(first.record, JPEG)
    hidden = stored_media(secret.record, b"\xff\xd8\xff hemlig bild")
    record_secrecy_mark(record=secret.record, provision="OSL 26 kap. 1 §", actor=registrar)
    services.subject_request_decide(
        request=case, decision="granted", answer="Här är uppgifterna om dig.", actor=officer
    )
    client.force_login(officer)
    url = reverse("admin:privacy_package", args=[case.pk])
    preview = client.get(url).content.decode()
    assert shown.sha256 in preview
    assert hidden.sha256 not in preview

    response = client.post(url)
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        data = json.loads(package.read(DATA_NAME))
        by_ref = {held["ref"]: held for held in data["held"]}
        (given,) = by_ref[f"records.record:{first.record_id}"]["media"]
        assert package.read(given["file"]) == JPEG
        assert all(b"hemlig bild" not in package.read(name) for name in package.namelist())
        readable = package.read(READABLE_NAME).decode()
    assert (given["kind"], given["status"], given["sha256"]) == ("Bild", "Lagrad", shown.sha256)
    (withheld,) = by_ref[f"records.record:{secret.record_id}"]["media"]
    assert withheld["sha256"] == withheld["file"] == ""
    assert "Sekretess enligt OSL 26 kap. 1 §" in withheld["withheld"]
    assert shown.sha256 in readable
    assert given["file"] in readable
    assert hidden.sha256 not in readable


def test_a_large_media_file_goes_into_the_package_in_chunks(officer, commenter, case):
    """The package streams: the person's 20 MB image is copied from storage into the ZIP in
    chunks and the ZIP is written to a temporary file, so building it holds a fraction of the
    image in memory at once; the image arrives whole."""
    first, _secret, _account = commenter
    stored_media(first.record, LARGE_IMAGE)
    services.subject_request_decide(request=case, decision="granted", answer="Svar.", actor=officer)
    package = services.subject_request_package(request=case, actor=officer)
    peak, built = peak_while(package.zip)
    assert peak < BOUND, f"{peak} bytes at the peak"
    with built:
        assert member_sha256(built, ".jpg") == hashlib.sha256(LARGE_IMAGE).hexdigest()

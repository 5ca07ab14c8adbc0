"""Free text that copies a secret or removed comment without saying so (issue 13, follow-up):
a note about the comment's author, and a note, rationale or reason elsewhere that pastes the
comment's words verbatim, without quotation marks. Once the entry is secret, such text is
withheld as the comment is, on every door a moderator, an administrator, the data protection
officer or an integration client reads it through; on disposal or erasure the pasted words go
with the comment. What counts as a quotation is ``records.quoting`` (≥ 8 consecutive words)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user
from moderation import seed
from moderation.models import (
    Decision,
    Item,
    Note,
    PlatformAccount,
    PlatformAction,
    ReconsiderationRequest,
)
from moderation.services import (
    block_create,
    decision_reconsider,
    item_claim,
    item_decide,
    moderation_item_intake,
    note_create,
)
from privacy.services import subject_request_create
from records.choices import UnlawfulContentBasis
from records.models import Quotation, Record
from records.services import record_secrecy_mark, record_unlawful_content_erase
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized

pytestmark = pytest.mark.django_db

SECRET = "Min dotter har fått diagnosen diabetes och klarar inte skolans matsal längre utan hjälp"
# Nine words of it, pasted without quotation marks, in other case and spacing.
PASTED = "har fått diagnosen diabetes och  klarar inte skolans matsal"
NOTES = "/api/v1/moderation/notes/"


@pytest.fixture(autouse=True)
def grounds(db: None) -> None:
    seed._grounds()
    seed._reply_templates()


def _intake(channel: Any, text: str, author_id: str) -> Item:
    item = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text=text, author_id=author_id),
        actor=system_user(),
    ).item
    item.refresh_from_db()
    return item


@pytest.fixture
def comments(moderator: User) -> dict[str, Item]:
    """The secret comment; an open comment by its author; an open comment by someone else."""
    channel = ChannelFactory.create(connected=True)
    return {
        "secret": _intake(channel, SECRET, "100001"),
        "same_author": _intake(channel, "När plogas Storgatan?", "100001"),
        "other": _intake(channel, "Tack för en bra sida.", "200002"),
    }


def _mark(item: Item, registrar: User) -> None:
    assert item.record is not None
    record_secrecy_mark(record=item.record, provision="OSL 26 kap. 1 §", actor=registrar)


def _reconsidered_quoting(decision: Any, second: User) -> None:
    """A request for reconsideration of ``decision`` and its outcome, both pasting the words."""
    now = timezone.now()
    ReconsiderationRequest.objects.create(
        decision=decision,
        permalink="https://www.facebook.com/x",
        reason=f"Jag skrev bara {PASTED}",
        received_at=now,
        due_at=now + timedelta(days=7),
        form_nonce=f"quotation-{decision.pk}",
    )
    decision_reconsider(
        decision=decision, outcome="upheld", rationale=f"Beslutet gäller: {PASTED}", actor=second
    )


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> str:
    return response.content.decode(errors="replace")


# --- a note about the author -----------------------------------------------------------------


def test_a_note_about_the_author_of_a_secret_comment_is_withheld_everywhere(
    comments: dict[str, Item],
    moderator: User,
    administrator: User,
    registrar: User,
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
) -> None:
    author = PlatformAccount.objects.get(external_id="100001")
    note = note_create(author=author, text="Hon skrev om dotterns diabetes.", actor=moderator)
    _mark(comments["secret"], registrar)
    officer = make_user(Role.PRIVACY_OFFICER)
    case = subject_request_create(
        case_number="DSO 2026/9",
        kind="access",
        requester="Anna",
        identifiers=["100001"],
        actor=officer,
    )
    queue_item = reverse("admin:moderation_queue_item", args=[comments["same_author"].pk])
    readers: dict[str, tuple[Any, list[str]]] = {
        "moderator": (_api(moderator), [f"{NOTES}?author={author.pk}", NOTES]),
        "administrator": (_api(administrator), [NOTES]),
        "integration": (token_client("moderation:read"), [NOTES]),
        "moderator's queue": (_web(moderator), [queue_item]),
        "officer": (
            _web(officer),
            [
                reverse("admin:privacy_package", args=[case.pk]),
                reverse("admin:privacy_search", args=[case.pk]) + "?term=100001",
            ],
        ),
    }
    for name, (client, urls) in readers.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert "dotterns diabetes" not in _body(response), (name, url)
    listed = _api(moderator).get(f"{NOTES}?author={author.pk}").json()["results"]
    assert [(row["id"], row["text"], row["content_access"]) for row in listed] == [
        (note.pk, "", "revealable")
    ]
    # Withheld, not changed; and the note on an author without secret content stays readable.
    assert Note.objects.get(pk=note.pk).text == "Hon skrev om dotterns diabetes."
    other = PlatformAccount.objects.get(external_id="200002")
    note_create(author=other, text="Vänlig ton.", actor=moderator)
    assert "Vänlig ton." in _body(_api(moderator).get(f"{NOTES}?author={other.pk}"))


def test_a_moderator_who_shows_the_secret_comment_sees_the_note_about_its_author(
    comments: dict[str, Item], moderator: User, registrar: User
) -> None:
    author = PlatformAccount.objects.get(external_id="100001")
    note_create(author=author, text="Hon skrev om dotterns diabetes.", actor=moderator)
    _mark(comments["secret"], registrar)
    secret = comments["secret"]
    item_claim(item=secret, actor=moderator)
    response = _web(moderator).post(
        reverse("admin:moderation_queue_act", args=[secret.pk]),
        {"action": "reveal", "reason": "Bedöma kommentaren"},
    )
    assert response.status_code == 200
    assert "dotterns diabetes" in _body(response)


# --- a verbatim quotation without quotation marks --------------------------------------------


def test_pasted_words_of_a_secret_comment_are_withheld_wherever_they_are_pasted(
    comments: dict[str, Item], moderator: User, administrator: User, registrar: User
) -> None:
    other = comments["other"]
    before = note_create(
        item=other, text=f"Samma som i den andra: {PASTED.upper()}", actor=moderator
    )
    item_claim(item=other, actor=moderator)
    decision = item_decide(
        item=other,
        action="hide",
        ground_codes=["harassment"],
        rationale=f"Dold, upprepar {PASTED} igen",
        actor=moderator,
    )
    _mark(comments["secret"], registrar)
    block = block_create(
        author=PlatformAccount.objects.get(external_id="200002"),
        channel=other.channel,
        ground_codes=["harassment"],
        rationale=f"Spärrad: {PASTED}",
        actor=moderator,
    )
    after = note_create(item=other, text=f"Kopierat: {PASTED}.", actor=moderator)
    unrelated = note_create(item=other, text="Fick diagnosen sent, skrev hon.", actor=moderator)
    for user in (moderator, administrator):
        api = _api(user)
        notes = {row["id"]: row for row in api.get(f"{NOTES}?item={other.pk}").json()["results"]}
        assert notes[before.pk]["text"] == notes[after.pk]["text"] == ""
        assert notes[unrelated.pk]["text"] == "Fick diagnosen sent, skrev hon."
        detail = _body(api.get(f"/api/v1/moderation/items/{other.pk}/"))
        web = _web(user)
        pages = {
            "item": detail,
            "blocks": _body(api.get("/api/v1/moderation/blocks/")),
            "queue": _body(web.get(reverse("admin:moderation_queue_item", args=[other.pk]))),
            "decision admin": _body(
                web.get(reverse("admin:moderation_decision_change", args=[decision.pk]))
            ),
            "decisions admin": _body(web.get(reverse("admin:moderation_decision_changelist"))),
            "block admin": _body(
                web.get(reverse("admin:moderation_block_change", args=[block.pk]))
            ),
        }
        for where, body in pages.items():
            assert "klarar inte skolans matsal" not in body.lower(), (user.email, where)
    # Each copy is tied to the entry in the register, and kept as written.
    assert comments["secret"].record is not None
    tied = Quotation.objects.filter(record=comments["secret"].record)
    # Two notes, the decision, the block and the block's own decision (blocking is decided).
    assert tied.count() == 5
    assert "skolans matsal" in Note.objects.get(pk=after.pk).text


def test_a_short_phrase_in_common_is_no_quotation(
    comments: dict[str, Item], moderator: User, registrar: User
) -> None:
    _mark(comments["secret"], registrar)
    note = note_create(
        item=comments["other"], text="Skolans matsal har fått ny meny.", actor=moderator
    )
    rows = _api(moderator).get(f"{NOTES}?item={comments['other'].pk}").json()["results"]
    assert [row["text"] for row in rows if row["id"] == note.pk] == [note.text]


def test_erasure_takes_the_pasted_words_out_of_every_free_text(
    comments: dict[str, Item], moderator: User, registrar: User
) -> None:
    other = comments["other"]
    note = note_create(item=other, text=f"Samma som i den andra: {PASTED}", actor=moderator)
    about = note_create(
        author=PlatformAccount.objects.get(external_id="200002"),
        text=f"Citerade grannen: {PASTED}",
        actor=moderator,
    )
    item_claim(item=other, actor=moderator)
    decision = item_decide(
        item=other,
        action="hide",
        ground_codes=["harassment"],
        rationale=f"Dold, upprepar {PASTED} igen",
        actor=moderator,
    )
    secret = comments["secret"]
    assert secret.record is not None
    record_unlawful_content_erase(
        record=Record.objects.get(pk=secret.record.pk),
        legal_basis=UnlawfulContentBasis.CHILD_ABUSE_MATERIAL,
        decision_reference="Beslut 1",
        actor=moderator,
    )
    texts = [
        Note.objects.get(pk=note.pk).text,
        Note.objects.get(pk=about.pk).text,
        Decision.objects.get(pk=decision.pk).rationale,
    ]
    for text in texts:
        assert "skolans matsal" not in text.lower(), text
        assert "[raderat]" in text or "[erased]" in text, text
    assert texts[0].startswith("Samma som i den andra: ")
    assert texts[2].startswith("Dold, upprepar ")
    assert texts[2].endswith(" igen")


def test_pasted_words_in_a_reconsideration_are_withheld_on_the_queue_page(
    comments: dict[str, Item],
    moderator: User,
    registrar: User,
    make_user: Callable[..., User],
) -> None:
    other = comments["other"]
    item_claim(item=other, actor=moderator)
    decision = item_decide(
        item=other, action="hide", ground_codes=["harassment"], rationale="Dold", actor=moderator
    )
    _mark(comments["secret"], registrar)
    second = make_user(Role.MODERATOR)
    _reconsidered_quoting(decision, second)
    for user in (moderator, second):
        body = _body(_web(user).get(reverse("admin:moderation_queue_item", args=[other.pk])))
        assert "skolans matsal" not in body.lower(), user.email
        assert "Jag skrev bara" not in body
        assert "Beslutet gäller" not in body


def test_a_reply_that_pastes_a_secret_comment_is_withheld_in_the_platform_action_admin(
    comments: dict[str, Item], moderator: User, administrator: User, registrar: User
) -> None:
    other = comments["other"]
    item_claim(item=other, actor=moderator)
    decision = item_decide(
        item=other, action="hide", ground_codes=["harassment"], rationale="Dold", actor=moderator
    )
    _mark(comments["secret"], registrar)
    action = PlatformAction.objects.create(
        decision=decision,
        channel=other.channel,
        action="reply",
        target_external_id=other.external_id,
        text=f"Vi svarar: {PASTED}",
    )
    page = reverse("admin:moderation_platformaction_change", args=[action.pk])
    for user in (moderator, administrator):
        response = _web(user).get(page)
        assert response.status_code == 200, user.email
        assert "skolans matsal" not in _body(response).lower(), user.email


@pytest.mark.parametrize("shown", [False, True], ids=["hidden", "just-shown"])
def test_the_item_pages_ties_per_row_agree_with_the_querysets_annotations(
    comments: dict[str, Item],
    moderator: User,
    registrar: User,
    make_user: Callable[..., User],
    shown: bool,
) -> None:
    """The moderators' item page decides per row (``free_text_ties``) what the API's querysets
    annotate (``decision_list``, ``notes_tied``, ``secret_quotation``): the same rows are tied,
    with and without the secret entry just shown."""
    from moderation.models import Reconsideration
    from moderation.selectors import decision_list, free_text_ties, notes_tied
    from records.quoting import secret_quotation

    other, same_author = comments["other"], comments["same_author"]
    item_claim(item=other, actor=moderator)
    quoting = item_decide(
        item=other, action="hide", ground_codes=["harassment"], rationale=PASTED, actor=moderator
    )
    item_claim(item=same_author, actor=moderator)
    plain = item_decide(
        item=same_author, action="keep", ground_codes=[], rationale="Ok", actor=moderator
    )
    _mark(comments["secret"], registrar)
    _reconsidered_quoting(plain, make_user(Role.MODERATOR))
    note_create(item=other, text=f"Kopierat: {PASTED}.", actor=moderator)
    note_create(item=other, text="Inget citat här.", actor=moderator)
    note_create(
        author=PlatformAccount.objects.get(external_id="100001"),
        text="Skriver ofta om snöröjning.",
        actor=moderator,
    )
    assert comments["secret"].record is not None
    except_record = comments["secret"].record_id if shown else None

    decisions = list(
        Decision.objects.filter(pk__in=[quoting.pk, plain.pk])
        .select_related("reconsideration")
        .prefetch_related("reconsideration_requests")
    )
    notes = list(Note.objects.all())
    ties = free_text_ties(decisions=decisions, notes=notes, except_record=except_record)

    annotated = {
        d.pk: getattr(d, "quotes_secret", None) for d in decision_list(except_record=except_record)
    }
    assert {d.pk: ties.tied(d) for d in decisions} == annotated
    reconsiderations = Reconsideration.objects.annotate(
        quotes_secret=secret_quotation(Reconsideration, except_record=except_record)
    )
    assert {r.pk: ties.tied(r) for r in reconsiderations} == {
        r.pk: r.quotes_secret for r in reconsiderations
    }
    requests = ReconsiderationRequest.objects.annotate(
        quotes_secret=secret_quotation(ReconsiderationRequest, except_record=except_record)
    )
    assert {r.pk: ties.tied(r) for r in requests} == {r.pk: r.quotes_secret for r in requests}
    expected = {
        n.pk: (getattr(n, "quotes_secret", None), getattr(n, "about_secret_author", None))
        for n in notes_tied(Note.objects.all(), except_record=except_record)
    }
    assert {n.pk: (ties.tied(n), n.author_id in ties.secret_authors) for n in notes} == expected
    # The scenario ties something of every kind unless the entry was just shown.
    assert any(expected[n.pk][1] for n in notes) is not shown
    assert any(annotated.values()) is not shown

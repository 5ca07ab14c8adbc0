"""``/api/v1/publishing/posts/``: drafting, the workflow actions, scopes, the error format and the
list's query budget."""

import pytest

from accounts.choices import Scope
from publishing.choices import PostStatus
from publishing.models import Post
from tests.publishing.factories import add_image, approved, draft, in_an_hour

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/publishing/posts/"


def test_an_editor_drafts_submits_and_another_approves_over_the_api(
    api_client, facebook, signing, author, approver
):
    api_client.force_login(author)
    planned = in_an_hour().isoformat()
    response = api_client.post(
        POSTS,
        {"channel": facebook.slug, "text": "Skridskobanan öppnar i dag.", "planned_at": planned},
        format="json",
    )
    assert response.status_code == 201, response.json()
    post = Post.objects.get()
    assert post.author == author
    assert response.json()["status"] == "draft"
    add_image(post, author)
    assert api_client.post(f"{POSTS}{post.pk}/submit/").status_code == 200

    refused = api_client.post(f"{POSTS}{post.pk}/approve/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "own_post"

    api_client.force_login(approver)
    answer = api_client.post(f"{POSTS}{post.pk}/approve/").json()
    assert answer["status"] == PostStatus.SCHEDULED
    assert answer["twin_plan"]["twin_channel"] == signing.slug
    assert answer["twin_plan"]["status"] == "open"
    assert answer["media"][0]["alt_text"] == "Skridskoåkare på Stortorget"


def test_the_findings_say_what_stops_approval_in_swedish(api_client, facebook, author):
    post = draft(facebook, author, link_url="https://www.orebro.se/", link_text="här")
    api_client.force_login(author)
    findings = api_client.get(f"{POSTS}{post.pk}/").json()["findings"]
    assert {
        "code": "link_text",
        "message": "Länktexten ”här” säger inte vart länken leder.",
        "blocking": True,
    } in findings


def test_bad_input_is_a_400_in_swedish_and_nothing_is_stored(api_client, facebook, author):
    api_client.force_login(author)
    response = api_client.post(
        POSTS,
        {"channel": facebook.slug, "text": "Hej", "planned_at": "2020-01-01T10:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["planned_at"] == [
        "Den planerade tiden har redan passerat."
    ]
    assert not Post.objects.exists()


def test_withdraw_needs_a_reason(api_client, facebook, author, approver):
    post = approved(facebook, author, approver)
    api_client.force_login(approver)
    assert api_client.post(f"{POSTS}{post.pk}/withdraw/", {}, format="json").status_code == 400
    response = api_client.post(
        f"{POSTS}{post.pk}/withdraw/", {"reason": "Inställt."}, format="json"
    )
    assert response.json()["status"] == "withdrawn"


def test_scopes(token_client, facebook, author, approver):
    post = draft(facebook, author)
    reader = token_client(Scope.PUBLISHING_READ)
    assert reader.get(POSTS).status_code == 200
    assert (
        reader.post(POSTS, {"channel": facebook.slug, "text": "x"}, format="json").status_code
        == 403
    )
    writer = token_client(Scope.PUBLISHING_WRITE)
    created = writer.post(
        POSTS, {"channel": facebook.slug, "text": "Från systemet."}, format="json"
    )
    assert created.status_code == 201
    assert writer.post(f"{POSTS}{post.pk}/submit/").status_code == 200
    # Approval is a person's: the write scope does not reach it.
    assert writer.post(f"{POSTS}{post.pk}/approve/").status_code == 403
    assert token_client(Scope.PODCASTS_WRITE).get(POSTS).status_code == 403


def test_other_roles_see_nothing_and_change_nothing(api_client, moderator, registrar, facebook):
    for person in (moderator, registrar):
        api_client.force_login(person)
        assert api_client.get(POSTS).status_code == 403
        assert api_client.post(POSTS, {"channel": facebook.slug, "text": "x"}).status_code == 403
    api_client.logout()
    assert api_client.get(POSTS).status_code in (401, 403)

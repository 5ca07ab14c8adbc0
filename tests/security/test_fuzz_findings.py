"""What the first fuzzing runs found, each kept fixed by a plain test."""

import pytest
from django.urls import reverse

from accounts.choices import Scope


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["channel=%C3%A9", "channel=99999999999999999999999", "year=99999", "year=-5"]
)
def test_metrics_ignore_values_that_are_not_a_channel_or_a_year(
    token_client, moderator, client, query
):
    api = token_client(Scope.MODERATION_READ)
    assert api.get(f"/api/v1/moderation/metrics/?{query}").status_code == 200
    client.force_login(moderator)
    page = reverse("admin:moderation_metrics")
    assert client.get(f"{page}?{query}").status_code == 200


@pytest.mark.django_db
def test_an_api_address_without_a_route_answers_in_the_error_format(api_client, client):
    response = api_client.get("/api/v1/channels/archive-photos/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    page = client.get("/ingen-sida-har/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_schema_documents_the_error_format_and_nullable_fields(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            for status in ("400", "401", "403", "404", "409", "429"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    components = schema["components"]["schemas"]
    assert components["Ground"]["properties"]["part_of"]["nullable"] is True
    assert components["Item"]["properties"]["claimed_by"]["nullable"] is True
    assert components["Record"]["properties"]["retention_class"]["nullable"] is True
    assert components["Record"]["properties"]["secrecy_marked_by"]["nullable"] is True
    assert components["Episode"]["properties"]["sign_language_video_url"]["nullable"] is True
    erasure = components["Record"]["properties"]["content_erasure_basis"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in erasure

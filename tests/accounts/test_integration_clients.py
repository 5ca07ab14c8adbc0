"""Integration clients: tokens shown once and stored hashed, scopes, revocation, throttling."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts import services
from accounts.models import IntegrationClient, token_hash

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me/"


def test_token_is_stored_only_as_a_hash(make_integration):
    client, token = make_integration("channels:read")
    client.refresh_from_db()
    assert token.startswith("smo_")
    assert len(token) > 40
    assert client.token_hash == token_hash(token)
    assert token not in {str(v) for v in client.__dict__.values()}


def test_history_never_keeps_the_hash(make_integration):
    client, _ = make_integration("channels:read")
    fields = {f.name for f in client.history.model._meta.fields}
    assert "token_hash" not in fields


def test_client_sees_itself_with_scopes(token_client):
    response = token_client("channels:read", "records:read").get(ME)
    assert response.status_code == 200
    assert response.json()["scopes"] == ["channels:read", "records:read"]


@pytest.mark.parametrize(
    "header",
    ["Bearer smo_unknown", "Bearer", "Bearer a b", "Bearer \xff", "Bearer " + "x" * 500],
)
def test_bad_tokens_get_401_in_the_error_format(api_client, header):
    response = api_client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "authentication_failed"
    assert body["error"]["message"]


def test_revoked_token_stops_working(make_integration, api_client):
    client, token = make_integration("channels:read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get(ME).status_code == 200
    services.integration_client_revoke(client=client, actor=services.system_user())
    assert api_client.get(ME).status_code == 401


def test_reissue_replaces_the_old_token(make_integration, api_client):
    client, old = make_integration("channels:read")
    new = services.integration_client_token_issue(client=client, actor=services.system_user())
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {old}")
    assert api_client.get(ME).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {new}")
    assert api_client.get(ME).status_code == 200


def test_inactive_client_is_refused(make_integration, api_client):
    client, token = make_integration("channels:read")
    IntegrationClient.objects.filter(pk=client.pk).update(is_active=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get(ME).status_code == 401


def test_scopes_grant_the_service_user_its_permissions(make_integration):
    client, _ = make_integration("channels:write")
    assert client.user.has_perm("channels_app.change_channel")
    assert not client.user.has_perm("accounts.add_user")
    services.integration_client_update(
        client=client, actor=services.system_user(), scopes=["channels:read"]
    )
    client.user = type(client.user).objects.get(pk=client.user.pk)
    assert not client.user.has_perm("channels_app.change_channel")


def test_unknown_scope_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError):
        services.integration_client_create(
            name="X", contact="x", scopes=["everything"], actor=services.system_user()
        )
    assert not IntegrationClient.objects.exists()


def test_only_administrators_manage_clients(editor, administrator):
    with pytest.raises(PermissionDenied):
        services.integration_client_create(
            name="X", contact="x", scopes=["channels:read"], actor=editor
        )
    client, _ = services.integration_client_create(
        name="X", contact="x", scopes=["channels:read"], actor=administrator
    )
    assert client.user.integration_client == client


def test_each_client_has_its_own_rate_limit(make_integration, api_client):
    from django.core.cache import cache

    cache.clear()
    limited, limited_token = make_integration("channels:read")
    limited.throttle_rate = "2/min"
    limited.save()
    _, other_token = make_integration("channels:read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {limited_token}")
    assert [api_client.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert api_client.get(ME).json()["error"]["code"] == "throttled"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {other_token}")
    assert api_client.get(ME).status_code == 200


def test_management_command_issues_and_revokes(capsys):
    call_command(
        "integration_client", "issue", "Ärendesystem", "--scopes=records:read", "--contact=it"
    )
    token = capsys.readouterr().out.strip().splitlines()[-1]
    client = IntegrationClient.objects.get(name="Ärendesystem")
    assert client.token_hash == token_hash(token)
    call_command("integration_client", "revoke", "Ärendesystem")
    client.refresh_from_db()
    assert client.token_hash == ""

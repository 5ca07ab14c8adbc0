"""The role matrix: what each role may do, as the groups in the database grant it."""

import pytest
from django.contrib.auth.models import Group

from accounts.choices import Role
from accounts.roles import ROLE_PERMISSIONS, roles_sync

pytestmark = pytest.mark.django_db

# One row per permission that tells the roles apart; True where the role must hold it.
MATRIX = {
    #                                  editor moderator registrar administrator
    "accounts.add_user": (False, False, False, True),
    "accounts.change_integrationclient": (False, False, False, True),
    "channels_app.view_channel": (True, True, True, True),
    "channels_app.change_channel": (True, False, False, False),
    "channels_app.delete_channel": (False, False, False, False),
    "channels_app.view_relayweek": (True, False, False, True),
    "channels_app.add_relayweek": (True, False, False, False),
    "channels_app.change_relayweek": (True, False, False, False),
    "channels_app.delete_relayweek": (False, False, False, False),
    "channels_app.view_archivephoto": (True, False, False, True),
    "channels_app.add_archivephoto": (True, False, False, False),
    "channels_app.change_archivephoto": (True, False, False, False),
    "channels_app.delete_archivephoto": (False, False, False, False),
    "channels_app.view_audiencefact": (True, False, False, True),
    "channels_app.change_audiencefact": (True, False, False, False),
    "moderation.view_ground": (True, True, False, True),
    "moderation.change_ground": (False, False, False, True),
    "moderation.view_item": (False, True, False, True),
    "moderation.decide_item": (False, True, False, False),
    "moderation.add_note": (False, True, False, False),
    "moderation.add_block": (False, True, False, False),
    "moderation.change_block": (False, True, False, False),
    "moderation.add_reconsideration": (False, True, False, False),
    "moderation.change_policereportchecklist": (False, True, False, False),
    "moderation.view_decision": (False, True, False, True),
    "moderation.change_decision": (False, False, False, False),
    "moderation.delete_decision": (False, False, False, False),
    "moderation.add_word": (True, False, False, False),
    "moderation.change_word": (True, False, False, False),
    "moderation.view_word": (True, True, False, True),
    "moderation.change_replytemplate": (True, False, False, False),
    "moderation.view_replytemplate": (True, True, False, True),
    "moderation.add_item": (False, False, False, False),
    "moderation.view_channelconnection": (False, True, False, True),
    "moderation.change_channelconnection": (False, False, False, True),
    "moderation.delete_channelconnection": (False, False, False, False),
    "moderation.change_platformaction": (False, False, False, False),
    "django_celery_beat.change_periodictask": (False, False, False, True),
    "records.view_record": (False, True, True, False),
    "records.add_record": (False, True, True, False),
    "records.change_record": (False, False, True, False),
    "records.delete_record": (False, False, False, False),
    "records.add_recordamendment": (False, True, True, False),
    "records.view_secret_record": (False, False, True, False),
    "records.mark_secret_record": (False, False, True, False),
    "records.erase_unlawful_content": (False, True, False, False),
    "records.change_accessrequest": (False, False, True, False),
    "records.approve_disposalrun": (False, False, True, False),
    "records.change_retentionclass": (False, False, False, True),
    "records.view_fixityaudit": (False, False, True, True),
    "podcasts.view_episode": (True, False, False, True),
    "podcasts.change_episode": (True, False, False, False),
    "podcasts.delete_episode": (False, False, False, False),
    "podcasts.publish_episode": (True, False, False, False),
    "podcasts.change_show": (True, False, False, False),
    "publishing.view_post": (True, False, False, True),
    "publishing.add_post": (True, False, False, False),
    "publishing.change_post": (True, False, False, False),
    "publishing.delete_post": (False, False, False, False),
    "publishing.approve_post": (True, False, False, False),
    "publishing.publish_post": (True, False, False, False),
    "publishing.view_twinplan": (True, False, False, True),
    "publishing.change_twinplan": (True, False, False, False),
    "publishing.add_twinplan": (False, False, False, False),
}
ROLES = [Role.EDITOR, Role.MODERATOR, Role.REGISTRAR, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_role_matrix(make_user, role_index):
    user = make_user(ROLES[role_index])
    for permission, expected in MATRIX.items():
        assert user.has_perm(permission) is expected[role_index], (ROLES[role_index], permission)


def test_groups_hold_exactly_the_declared_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(names)


def test_sync_removes_permissions_added_by_hand():
    group = Group.objects.get(name=Role.EDITOR)
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="delete_user"))
    roles_sync()
    assert not group.permissions.filter(codename="delete_user").exists()


def test_a_user_without_role_has_no_permissions(make_user):
    user = make_user()
    assert not user.get_all_permissions()


def test_moderation_scopes(make_integration):
    from accounts.choices import Scope

    reader, _ = make_integration(Scope.MODERATION_READ)
    assert reader.user.has_perm("moderation.view_item")
    assert not reader.user.has_perm("moderation.decide_item")
    ingest, _ = make_integration(Scope.MODERATION_INGEST)
    assert ingest.user.has_perm("moderation.add_item")
    assert ingest.user.has_perm("records.add_record")
    assert not ingest.user.has_perm("moderation.view_item")


def test_records_scopes_grant_reading_and_registering_only():
    from accounts.choices import Scope
    from accounts.roles import SCOPE_PERMISSIONS

    read = set(SCOPE_PERMISSIONS[Scope.RECORDS_READ])
    write = set(SCOPE_PERMISSIONS[Scope.RECORDS_WRITE])
    assert "records.view_record" in read
    assert {"records.add_record", "records.add_recordamendment"} <= write
    secret = {"records.view_secret_record", "records.mark_secret_record", "records.change_record"}
    assert not (read | write) & secret


def test_no_integration_scope_may_erase_unlawful_content():
    from accounts.roles import SCOPE_PERMISSIONS

    assert not any(
        "records.erase_unlawful_content" in perms for perms in SCOPE_PERMISSIONS.values()
    )

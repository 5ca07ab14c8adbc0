"""The roles and the integration scopes, and the permissions each grants: the one place where
access is declared. After every migrate the groups and service users are synced to it."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from accounts.choices import Role, Scope

VIEW_CHANGE = ("view", "change")
VIEW_ADD_CHANGE = ("view", "add", "change")
CRUD = ("view", "add", "change", "delete")
# The channel register's models and the public page's texts; bookings are cancelled and photos
# unscheduled, never deleted.
CHANNEL_REGISTER = (
    "channel",
    "audiencefact",
    "relayweek",
    "archivephoto",
    "pagesection",
    "pagelink",
)


def _perms(app_label: str, model: str, actions: Iterable[str]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


def _register_perms(actions: Iterable[str]) -> list[str]:
    actions = tuple(actions)
    return [name for model in CHANNEL_REGISTER for name in _perms("channels_app", model, actions)]


# What moderators, administrators and integration clients with moderation:read may see.
MODERATION_READ = [
    f"moderation.view_{model}"
    for model in (
        "item",
        "itemversion",
        "detectorhit",
        "platformaccount",
        "decision",
        "block",
        "note",
        "reconsideration",
        "reconsiderationrequest",
        "platformaction",
        "policereportchecklist",
    )
]

# Requests about a person's own data (GDPR art. 15, 16, 21) and the logged search for them.
PRIVACY_CASES = [
    *_perms("privacy", "subjectrequest", ("view", "add", "change")),
    "privacy.search_person",
    "privacy.view_personsearch",
    "privacy.view_retentionrun",
    # Each link a package was mailed by, and when it was fetched.
    "privacy.view_packagelink",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.EDITOR: [
        *_register_perms(VIEW_ADD_CHANGE),
        "moderation.view_ground",
        *_perms("podcasts", "show", ("view", "add", "change")),
        *_perms("podcasts", "episode", ("view", "add", "change")),
        *_perms("podcasts", "episodeguest", CRUD),
        "podcasts.publish_episode",
        *_perms("moderation", "word", CRUD),
        *_perms("moderation", "replytemplate", CRUD),
        *_perms("moderation", "threatterm", VIEW_ADD_CHANGE),
        *_perms("publishing", "post", VIEW_ADD_CHANGE),
        "publishing.approve_post",
        "publishing.publish_post",
        *_perms("publishing", "twinplan", VIEW_CHANGE),
    ],
    Role.MODERATOR: [
        "channels_app.view_channel",
        "moderation.view_ground",
        *MODERATION_READ,
        "moderation.decide_item",
        "moderation.add_note",
        *_perms("moderation", "block", ("add", "change")),
        "moderation.add_reconsideration",
        "moderation.change_policereportchecklist",
        "moderation.view_word",
        "moderation.view_replytemplate",
        "moderation.view_threatterm",
        "moderation.view_urgentalert",
        "moderation.view_channelconnection",  # capture health
        # Moderation registers what it hides or removes, and platform edits, in the register.
        "records.view_record",
        "records.add_record",
        "records.add_recordamendment",
        # Removing child abuse material erases its register entry's content at once (possessing
        # it is a crime); the service refuses any other use.
        "records.erase_unlawful_content",
    ],
    Role.REGISTRAR: [
        "channels_app.view_channel",
        *_perms("records", "record", ("view", "add", "change")),
        "records.view_secret_record",
        "records.mark_secret_record",
        *_perms("records", "recordamendment", ("view", "add")),
        "records.view_secretaccesslog",
        *_perms("records", "accessrequest", ("view", "add", "change")),
        "records.view_retentionclass",
        *_perms("records", "retentiondefault", CRUD),
        *_perms("records", "disposalrun", ("view", "add", "change")),
        "records.approve_disposalrun",
        *_perms("records", "erasurerequest", ("view", "add", "change")),
        "records.view_fixityaudit",
        *PRIVACY_CASES,
    ],
    Role.ADMINISTRATOR: [
        *_register_perms(["view"]),
        *_perms("moderation", "ground", VIEW_CHANGE),
        *MODERATION_READ,
        "moderation.view_word",
        "moderation.view_replytemplate",
        "moderation.view_threatterm",
        "moderation.view_urgentalert",
        # Who urgent items escalate to when nobody claims them.
        *_perms("moderation", "escalationcontact", VIEW_ADD_CHANGE),
        # Channel tokens and capture health.
        *_perms("moderation", "channelconnection", ("view", "add", "change")),
        *_perms("records", "retentionclass", ("view", "add", "change")),
        "records.view_fixityaudit",
        "podcasts.view_show",
        "podcasts.view_episode",
        "publishing.view_post",
        "publishing.view_twinplan",
        *_perms("accounts", "user", CRUD),
        *_perms("accounts", "integrationclient", CRUD),
        *_perms("django_celery_beat", "periodictask", VIEW_CHANGE),
        *_perms("django_celery_beat", "crontabschedule", CRUD),
        *_perms("django_celery_beat", "intervalschedule", CRUD),
        # How long what is not a public document is kept, and the reports of each run.
        *_perms("privacy", "retentionsettings", VIEW_CHANGE),
        "privacy.view_retentionrun",
    ],
    Role.PRIVACY_OFFICER: [
        *PRIVACY_CASES,
        "privacy.view_retentionsettings",
        # A rectification is appended to the register entries about the person.
        "records.add_recordamendment",
    ],
}

SCOPE_PERMISSIONS: dict[str, list[str]] = {
    Scope.CHANNELS_READ: _register_perms(["view"]),
    Scope.CHANNELS_WRITE: _register_perms(VIEW_ADD_CHANGE),
    Scope.PODCASTS_READ: ["podcasts.view_show", "podcasts.view_episode"],
    Scope.PODCASTS_WRITE: [
        *_perms("podcasts", "show", ("view", "add", "change")),
        *_perms("podcasts", "episode", ("view", "add", "change")),
        "podcasts.publish_episode",
    ],
    # Intake captures in the register first, so the ingesting client registers too.
    Scope.MODERATION_INGEST: [
        "moderation.add_item",
        "records.add_record",
        "records.add_recordamendment",
    ],
    # The right to speak for the channels: what is sent as their own is registered drawn up.
    Scope.MODERATION_OWN: ["records.register_own_content"],
    Scope.MODERATION_READ: ["moderation.view_ground", *MODERATION_READ],
    Scope.RECORDS_READ: ["records.view_record", "records.view_recordamendment"],
    Scope.RECORDS_WRITE: [
        "records.view_record",
        "records.add_record",
        *_perms("records", "recordamendment", ("view", "add")),
    ],
    # The case-management system: create a request, read its status, fetch the package.
    Scope.PRIVACY_WRITE: [
        *_perms("privacy", "subjectrequest", ("view", "add")),
        "privacy.search_person",
    ],
    Scope.PUBLISHING_READ: ["publishing.view_post", "publishing.view_twinplan"],
    # Other systems may draft and send for review; approval is a person's (four eyes).
    Scope.PUBLISHING_WRITE: [
        *_perms("publishing", "post", VIEW_ADD_CHANGE),
        "publishing.publish_post",
        "publishing.view_twinplan",
    ],
}


def permissions_resolve(names: Iterable[str]) -> list[Permission]:
    """The Permission rows for ``app_label.codename`` names; a name that matches none is a bug."""
    wanted = set(names)
    if not wanted:
        return []
    query = Q()
    for name in wanted:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise ImproperlyConfigured(f"Declared permissions that do not exist: {sorted(missing)}")
    return found


def roles_sync() -> None:
    """Give every role group exactly its declared permissions, and every integration client's
    service user exactly the permissions of its scopes."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions_resolve(names))
    from accounts.services import integration_client_permissions_sync

    for client in apps.get_model("accounts", "IntegrationClient").objects.select_related("user"):
        integration_client_permissions_sync(client=client)


def roles_sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate is sent once per app; sync once, after the last, when every permission exists.
    configs = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not configs[-1]:
        return
    for config in configs:
        create_permissions(config, verbosity=0, using=kwargs.get("using", "default"))
    roles_sync()

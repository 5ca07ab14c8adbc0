"""Every write to users and integration clients: invitations, roles, tokens."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.choices import Role, Scope
from accounts.models import (
    EMAIL_TAKEN,
    SYSTEM_EMAIL,
    IntegrationClient,
    User,
    email_normalize,
    token_generate,
    token_hash,
)
from accounts.permissions import permission_require
from core.actors import model_save
from core.dispatch import dispatch_on_commit


def _roles_validate(roles: Iterable[str]) -> list[str]:
    roles = list(roles)
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %s") % ", ".join(unknown)})
    return roles


@transaction.atomic
def user_invite(
    *, email: str, name: str, unit: str = "", roles: Iterable[str], actor: User
) -> User:
    """Create a staff member with the given roles and send an invitation to choose a password."""
    permission_require(actor, "accounts.add_user")
    roles = _roles_validate(roles)
    email = email_normalize(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User(email=email, name=name, unit=unit, is_staff=True)
    user.set_unusable_password()
    user.full_clean()
    model_save(user, actor)
    _roles_apply(user=user, roles=roles, actor=actor)
    from accounts.tasks import user_invitation_send

    # A broker outage leaves the person created; the password-reset page sends a new link.
    dispatch_on_commit(user_invitation_send, user.pk)
    return user


def user_invitation_email_send(*, user: User) -> None:
    """E-mail the invited person a one-time link where they choose their password."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.template.loader import render_to_string

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "url": settings.SITE_URL + path}
        send_mail(
            subject=_("Invitation to Sociala medier, Örebro kommun"),
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def user_change_allowed(*, user: User, actor: User) -> bool:
    """Nobody edits the system account; only a superuser edits a superuser. Read from the
    stored row, so that a form's unsaved values decide nothing."""
    stored = User.objects.filter(pk=user.pk).values("email", "is_superuser").first()
    if stored is None:
        return True
    if stored["email"] == SYSTEM_EMAIL:
        return False
    return actor.is_superuser or not stored["is_superuser"]


def _user_change_require(user: User, actor: User) -> None:
    permission_require(actor, "accounts.change_user")
    if not user_change_allowed(user=user, actor=actor):
        raise PermissionDenied(_("You may not change this account."))


def user_roles_change_check(*, user: User, roles: Iterable[str], actor: User) -> None:
    """Refuse a change of one's own roles: nobody grants themselves more access."""
    if user.pk == actor.pk and set(roles) != set(user.groups.values_list("name", flat=True)):
        raise ValidationError(_("You cannot change your own roles."), code="own_roles")


@transaction.atomic
def user_update(*, user: User, actor: User) -> User:
    """Save a person's name, unit, e-mail address and active flag as edited."""
    _user_change_require(user, actor)
    user.email = user.email.strip().lower()
    user.full_clean(exclude=["password"])
    model_save(user, actor)
    return user


def _role_labels(roles: Iterable[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(role, role)) for role in sorted(roles)) or "–"


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[str], actor: User) -> User:
    """Give a person exactly these roles. Each change is kept in the person's history (who, when,
    from what to what) and e-mailed to every administrator."""
    _user_change_require(user, actor)
    roles = _roles_validate(roles)
    user_roles_change_check(user=user, roles=roles, actor=actor)
    _roles_apply(user=user, roles=roles, actor=actor)
    return user


def _roles_apply(*, user: User, roles: list[str], actor: User) -> None:
    before = sorted(user.groups.values_list("name", flat=True))
    after = sorted(set(roles))
    if before == after:
        return
    user.groups.set(Group.objects.filter(name__in=after))
    user.is_staff = user.is_staff or bool(after)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Roles: %(before)s → %(after)s") % {
            "before": _role_labels(before),
            "after": _role_labels(after),
        }
    model_save(user, actor, update_fields=["is_staff"], reason=reason)
    from accounts.tasks import user_roles_changed_notify

    dispatch_on_commit(
        user_roles_changed_notify, user.pk, actor.pk, before, after, timezone.now().isoformat()
    )


def _administrators() -> list[str]:
    people = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=Role.ADMINISTRATOR) | Q(is_superuser=True))
        .select_related("integration_client")
    )
    return sorted(
        {person.email for person in people.distinct() if person.email and person.is_person}
    )


def user_roles_changed_email_send(
    *, user: User, actor: User, before: list[str], after: list[str], changed_at: datetime
) -> int:
    """Tell every administrator whose roles changed, by whom and when; returns the recipients."""
    recipients = _administrators()
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(changed_at), "DATETIME_FORMAT")
        send_mail(
            subject=_("Roles changed for %s") % user.email,
            message=_(
                "%(actor)s changed the roles of %(user)s on %(when)s.\n\n"
                "Before: %(before)s\nAfter: %(after)s\n\n"
                "If this was not agreed, check the account at once:\n%(url)s"
            )
            % {
                "actor": f"{actor.get_full_name()} <{actor.email}>",
                "user": f"{user.get_full_name()} <{user.email}>",
                "when": when,
                "before": _role_labels(before),
                "after": _role_labels(after),
                "url": settings.SITE_URL + reverse("admin:accounts_user_history", args=[user.pk]),
            },
            from_email=None,
            recipient_list=recipients,
        )
    return len(recipients)


def _scopes_validate(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %s") % ", ".join(unknown)})
    return scopes


def integration_client_permissions_sync(*, client: IntegrationClient) -> None:
    """The client's service user holds exactly the permissions its scopes grant."""
    from accounts.roles import SCOPE_PERMISSIONS, permissions_resolve

    names = {name for scope in client.scopes for name in SCOPE_PERMISSIONS.get(scope, [])}
    client.user.user_permissions.set(permissions_resolve(names))


@transaction.atomic
def integration_client_create(
    *, name: str, contact: str, scopes: Iterable[str], actor: User, throttle_rate: str = ""
) -> tuple[IntegrationClient, str]:
    """Register a system and issue its first token; the token is returned once, never stored."""
    permission_require(actor, "accounts.add_integrationclient")
    scopes = _scopes_validate(scopes)
    if IntegrationClient.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("An integration client with this name already exists.")})
    user = User(email=f"{slugify(name) or 'client'}@integration.invalid", name=name)
    user.set_unusable_password()
    suffix = 1
    while User.objects.filter(email=user.email).exists():
        suffix += 1
        user.email = f"{slugify(name) or 'client'}-{suffix}@integration.invalid"
    user.save()
    client = IntegrationClient(
        name=name.strip(), contact=contact, scopes=scopes, throttle_rate=throttle_rate, user=user
    )
    client.full_clean(exclude=["user"])
    client.save()
    integration_client_permissions_sync(client=client)
    token = _token_set(client)
    return client, token


def _token_set(client: IntegrationClient) -> str:
    token = token_generate()
    client.token_prefix = token[:12]
    client.token_hash = token_hash(token)
    client.token_issued_at = timezone.now()
    client.save(update_fields=["token_prefix", "token_hash", "token_issued_at"])
    return token


@transaction.atomic
def integration_client_token_issue(*, client: IntegrationClient, actor: User) -> str:
    """Replace the client's token with a new one (the old stops working at once)."""
    permission_require(actor, "accounts.change_integrationclient")
    if not client.is_active:
        raise ValidationError(_("The integration client is not active."))
    return _token_set(client)


@transaction.atomic
def integration_client_revoke(*, client: IntegrationClient, actor: User) -> IntegrationClient:
    """Withdraw the client's token; it can be issued a new one later."""
    permission_require(actor, "accounts.change_integrationclient")
    client.token_prefix = ""
    client.token_hash = ""
    client.token_issued_at = None
    client.save(update_fields=["token_prefix", "token_hash", "token_issued_at"])
    return client


@transaction.atomic
def integration_client_update(
    *, client: IntegrationClient, actor: User, scopes: Iterable[str] | None = None, **fields: object
) -> IntegrationClient:
    permission_require(actor, "accounts.change_integrationclient")
    for field, value in fields.items():
        setattr(client, field, value)
    if scopes is not None:
        client.scopes = _scopes_validate(scopes)
    client.full_clean(exclude=["user"])
    client.save()
    integration_client_permissions_sync(client=client)
    return client


def integration_client_authenticate(token: str) -> IntegrationClient | None:
    """The active client whose token this is, with its last use recorded; None otherwise."""
    if not token.startswith("smo_") or len(token) > 100:
        return None
    client = (
        IntegrationClient.objects.select_related("user")
        .filter(token_hash=token_hash(token), is_active=True)
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    # Written at most once a minute so that a busy client does not write on every request.
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        IntegrationClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client


def system_user() -> User:
    """The actor for scheduled work and operators' commands: it holds every permission, and
    cannot sign in (no usable password, not staff)."""
    user, created = User.objects.get_or_create(
        email=SYSTEM_EMAIL, defaults={"name": "System", "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

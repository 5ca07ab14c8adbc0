"""Staff users, and the other municipal systems that use the API (integration clients)."""

import hashlib
import re
import secrets
from collections.abc import Collection
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Scope

# The actor of scheduled work and operators' commands (accounts.services.system_user).
SYSTEM_EMAIL = "system@sociala-medier.invalid"

EMAIL_TAKEN = _("A user with this e-mail address already exists.")


def email_normalize(email: str) -> str:
    """The one form an e-mail address is kept in: an address is the same whatever its case."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email_normalize(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def emails(self, *roles: str) -> list[str]:
        """Where mail to ``roles`` goes: the address of every active user in any of them, once
        each, in order (a user without an address is passed over)."""
        return sorted(
            set(
                self.filter(groups__name__in=roles, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff; the e-mail address is the login."""

    email = models.EmailField(
        _("e-mail address"), unique=True, error_messages={"unique": EMAIL_TAKEN}
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    unit = models.CharField(
        _("unit"), max_length=200, blank=True, help_text=_("The administration (förvaltning).")
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # The database's guard for the rule clean() applies: one address, whatever its case.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_unique_any_case",
                violation_error_message=EMAIL_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = email_normalize(self.email)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # With the address normalized, the field's own unique check says it, on the field; the
        # case-blind constraint would say it a second time.
        super().validate_constraints(exclude={*(exclude or ()), "email"})

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_person(self) -> bool:
        """A member of staff, not the system account nor an integration client's service user:
        only a person signs in or receives a password reset."""
        return self.email != SYSTEM_EMAIL and not hasattr(self, "integration_client")

    def check_password(self, raw_password: str | None) -> bool:
        # Whatever is stored, the accounts that act for systems have no password that works.
        return self.is_person and super().check_password(raw_password)


# A client's own rate, in the form DRF's throttles read ("600/min"); the period's first letter
# (s, m, h, d) is what counts.
THROTTLE_RATE = re.compile(r"[1-9][0-9]{0,8}/(s|sec|second|m|min|minute|h|hour|d|day)")


def throttle_rate_valid(rate: str) -> bool:
    return THROTTLE_RATE.fullmatch(rate) is not None


def token_hash(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough: nothing to brute-force."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> str:
    return "smo_" + secrets.token_urlsafe(32)


class IntegrationClient(models.Model):
    """Another municipal system using the API with a bearer token limited to its scopes.

    It acts through its own service user, so every write it makes passes the same permission
    checks and history as a person's; the token itself is kept only as a hash."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact = models.CharField(_("contact"), max_length=200, help_text=_("Who answers for it."))
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    token_prefix = models.CharField(_("token prefix"), max_length=12, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    throttle_rate = models.CharField(
        _("rate limit"),
        max_length=20,
        blank=True,
        help_text=_("Requests per period, e.g. 600/min. Empty: the default."),
    )
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="integration_client",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        unknown = sorted(set(self.scopes) - set(Scope.values))
        if unknown:
            errors["scopes"] = _("Unknown scopes: %s") % ", ".join(unknown)
        if self.throttle_rate and not throttle_rate_valid(self.throttle_rate):
            errors["throttle_rate"] = _(
                "Write the limit as a number of requests per period, e.g. 600/min "
                "(s, min, hour or day)."
            )
        if errors:
            raise ValidationError(errors)

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

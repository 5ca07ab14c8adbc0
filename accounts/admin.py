from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import ClockedSchedule, SolarSchedule

from accounts import services
from accounts.choices import Role, Scope
from accounts.history_admin import HistoryAdmin
from accounts.models import IntegrationClient, User
from core.actors import request_actor


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["email", "name", "unit", "is_active"]

    # The person editing, set by UserAdmin.get_form: nobody changes their own roles.
    actor: User | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = [g.name for g in self.instance.groups.all()]

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if self.instance.pk and self.actor is not None:
            services.user_roles_change_check(user=self.instance, roles=roles, actor=self.actor)
        return roles


class RoleFilter(admin.SimpleListFilter):
    """The roles by their names in the page's language, not the groups' code names."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Role.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class UserAdmin(HistoryAdmin):
    form = UserForm
    list_display = ["email", "name", "unit", "role_names", "is_active", "last_login"]
    list_filter = [RoleFilter, "is_active", "is_staff"]
    search_fields = ["email", "name", "unit"]
    fields = ["email", "name", "unit", "roles", "is_active"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .filter(integration_client__isnull=True)
            .prefetch_related("groups")
        )

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        assert issubclass(form, UserForm)
        form.actor = request.user if isinstance(request.user, User) else None
        return form

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return isinstance(request.user, User) and services.user_change_allowed(
            user=obj, actor=request.user
        )

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    @admin.display(description=_("roles"))
    def role_names(self, user: User) -> str:
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(g.name, g.name)) for g in user.groups.all())

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        roles = form.cleaned_data["roles"]
        actor = request_actor(request)
        if change:
            services.user_update(user=obj, actor=actor)
            services.user_roles_set(user=obj, roles=roles, actor=actor)
        else:
            invited = services.user_invite(
                email=obj.email, name=obj.name, unit=obj.unit, roles=roles, actor=actor
            )
            obj.pk = invited.pk
            messages.info(request, _("An invitation has been sent to %s.") % invited.email)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Roles are set by the service in save_model."""


class IntegrationClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = IntegrationClient
        fields = ["name", "contact", "scopes", "throttle_rate", "is_active"]


@admin.register(IntegrationClient)
class IntegrationClientAdmin(HistoryAdmin):
    form = IntegrationClientForm
    list_display = ["name", "contact", "scope_names", "is_active", "token_prefix", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact"]
    readonly_fields = ["token_prefix", "token_issued_at", "last_used_at"]
    actions = ["token_issue", "token_revoke"]

    @admin.display(description=_("scopes"))
    def scope_names(self, client: IntegrationClient) -> str:
        """Each scope in words, e.g. "Läsa diariet", not its code."""
        labels = dict(Scope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in client.scopes) or "–"

    def save_model(
        self, request: HttpRequest, obj: IntegrationClient, form: Any, change: bool
    ) -> None:
        actor = request_actor(request)
        data = form.cleaned_data
        if change:
            services.integration_client_update(
                client=obj,
                actor=actor,
                scopes=data["scopes"],
                name=data["name"],
                contact=data["contact"],
                throttle_rate=data["throttle_rate"],
                is_active=data["is_active"],
            )
            return
        client, token = services.integration_client_create(
            name=data["name"],
            contact=data["contact"],
            scopes=data["scopes"],
            throttle_rate=data["throttle_rate"],
            actor=actor,
        )
        obj.pk = client.pk
        self._token_show(request, client, token)

    @staticmethod
    def _token_show(request: HttpRequest, client: IntegrationClient, token: str) -> None:
        messages.warning(
            request,
            _("Token for %(name)s, shown only now — copy it to the system: %(token)s")
            % {"name": client.name, "token": token},
        )

    @admin.action(description=_("Issue a new token"), permissions=["change"])
    def token_issue(self, request: HttpRequest, queryset: QuerySet[IntegrationClient]) -> None:
        actor = request_actor(request)
        for client in queryset:
            token = services.integration_client_token_issue(client=client, actor=actor)
            self._token_show(request, client, token)

    @admin.action(description=_("Revoke the token"), permissions=["change"])
    def token_revoke(self, request: HttpRequest, queryset: QuerySet[IntegrationClient]) -> None:
        actor = request_actor(request)
        for client in queryset:
            services.integration_client_revoke(client=client, actor=actor)
        messages.success(request, _("The tokens have been revoked."))


# Roles are set on the user; SSO is configured by the environment (settings), its tokens are not
# stored; the beat schedule uses crontab and interval schedules only. What the system does not
# use is not offered.
admin.site.unregister(
    [Group, SocialApp, SocialToken, SocialAccount, ClockedSchedule, SolarSchedule]
)

# The delete page of a person lists their roles in words, not "User_groups object (3)".
_memberships: Any = User.groups.through
_memberships._meta.verbose_name = _("role")
_memberships._meta.verbose_name_plural = _("roles")
_memberships.__str__ = lambda membership: str(Role(membership.group.name).label)

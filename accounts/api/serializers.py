from rest_framework import serializers

from accounts.models import User


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()
    scopes = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["email", "name", "unit", "roles", "scopes"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(group.name for group in user.groups.all())

    def get_scopes(self, user: User) -> list[str]:
        client = getattr(user, "integration_client", None)
        return sorted(client.scopes) if client else []

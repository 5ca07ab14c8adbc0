"""One demo account per role, for trying the system locally (never in production)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.choices import Role
from accounts.models import User

DEMO_PASSWORD = "demo-orebro-2026"


class Command(BaseCommand):
    help = "Create or reset one demo account per role and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo accounts are only for local settings.")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role in Role:
            email = f"{role.value}@demo.orebro.se"
            user, _ = User.objects.get_or_create(
                email=email, defaults={"name": f"Demo {role.label}", "unit": "Demo"}
            )
            user.is_staff = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            self.stdout.write(f"  {role.label:<16} {email}")

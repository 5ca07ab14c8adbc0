"""One demo account per role, for trying the system locally (never in production)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.choices import Role
from accounts.models import User

DEMO_PASSWORD = "demo-orebro-2026"
# A second account where the work takes two people: another editor approves a post (four
# eyes), another moderator reconsiders a decision.
SECOND_ACCOUNTS = {
    Role.EDITOR: ("editor2@demo.orebro.se", "Demo Webbredaktör 2"),
    Role.MODERATOR: ("moderator2@demo.orebro.se", "Demo Moderator 2"),
}


class Command(BaseCommand):
    help = "Create or reset one demo account per role and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo accounts are only for local settings.")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role in Role:
            accounts = [(f"{role.value}@demo.orebro.se", f"Demo {role.label}")]
            if role in SECOND_ACCOUNTS:
                accounts.append(SECOND_ACCOUNTS[role])
            for email, name in accounts:
                user, _ = User.objects.get_or_create(
                    email=email, defaults={"name": name, "unit": "Demo"}
                )
                user.is_staff = True
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.set([Group.objects.get(name=role.value)])
                self.stdout.write(f"  {role.label:<16} {email}")

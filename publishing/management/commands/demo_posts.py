"""The demo's own posts, in each state of the way to the platforms (never in production)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publishing.demo import demo_posts_seed


class Command(BaseCommand):
    help = "Make the demo editors' posts: a draft, one in review, one planned, one published."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo posts are only for local settings.")
        try:
            made = demo_posts_seed(now=timezone.now())
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"publishing: {made} demo posts made")

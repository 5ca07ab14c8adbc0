"""Load the Örebro data: every app's ``seed`` module, lowest layer first. Idempotent."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the municipality's channels, rules, podcasts and examples from the seed page."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.seed") is None:
                continue
            module = import_module(f"{config.name}.seed")
            with transaction.atomic():
                summary = module.run()
            self.stdout.write(f"{config.label}: {summary}")

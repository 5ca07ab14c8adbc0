"""Issue or revoke an integration client's token from the command line (operators)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import IntegrationClient


class Command(BaseCommand):
    help = "Create an integration client or issue/revoke its token. The token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["issue", "revoke"])
        parser.add_argument("name")
        parser.add_argument("--scopes", default="", help="Comma-separated, e.g. channels:read")
        parser.add_argument("--contact", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = services.system_user()
        name = options["name"]
        client = IntegrationClient.objects.filter(name=name).first()
        if options["action"] == "revoke":
            if client is None:
                raise CommandError(f"No integration client named {name!r}.")
            services.integration_client_revoke(client=client, actor=actor)
            self.stdout.write(f"Revoked the token of {name}.")
            return
        if client is None:
            scopes = [s for s in options["scopes"].split(",") if s]
            if not scopes or not options["contact"]:
                raise CommandError("A new client needs --scopes and --contact.")
            client, token = services.integration_client_create(
                name=name, contact=options["contact"], scopes=scopes, actor=actor
            )
        else:
            token = services.integration_client_token_issue(client=client, actor=actor)
        self.stdout.write(f"Token for {client.name} (scopes: {', '.join(client.scopes)}):")
        self.stdout.write(token)

"""`furima api_token create USERNAME [--name NAME]`: a bearer token for the HTTP API."""

from django.core.management.base import BaseCommand, CommandError

from furima.accounts.models import User
from furima.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("verb", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="")

    def handle(self, *args, verb: str, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        self.stdout.write(api_token_create(user=user, name=name))

"""`furima api_token create USERNAME [--name NAME] [--days N]`, `furima api_token list
USERNAME`, `furima api_token revoke TOKEN_ID`: bearer tokens for the HTTP API."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from furima import clock
from furima.accounts.models import User
from furima.accounts.selectors import api_token_status, api_tokens_of
from furima.accounts.services import api_token_create, api_token_revoke
from furima.errors import FurimaError

EXIT_USAGE = 2


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = (
        "create USERNAME: make an API token and print it (it is shown only once); "
        "list USERNAME: the user's tokens; revoke TOKEN_ID: stop a token at once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("verb", choices=["create", "list", "revoke"])
        parser.add_argument("target", help="USERNAME (create, list) or TOKEN_ID (revoke)")
        parser.add_argument("--name", default="", help="what the token is for (create)")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days the token works (create; default FURIMA_API_TOKEN_DAYS; 0: until revoked)",
        )

    def handle(self, *args, verb: str, target: str, name: str, days, **options) -> None:
        try:
            if verb == "revoke":
                self._revoke(target)
            elif verb == "list":
                self._list(self._user(target))
            else:
                self.stdout.write(api_token_create(user=self._user(target), name=name, days=days))
        except FurimaError as error:
            raise CommandError(error.detail, returncode=EXIT_USAGE) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise FurimaError(f"no active user {username!r}")
        return user

    def _list(self, user: User) -> None:
        now = clock.now()
        self.stdout.write(
            f"{'id':>6}  {'status':<16}  {'created':<16}  {'expires':<16}  {'last used':<16}  name"
        )
        for token in api_tokens_of(user=user):
            self.stdout.write(
                f"{token.pk:>6}  {api_token_status(token, now=now):<16}  "
                f"{_when(token.created_at):<16}  {_when(token.expires_at):<16}  "
                f"{_when(token.last_used_at):<16}  {token.name}"
            )

    def _revoke(self, target: str) -> None:
        if not target.isdigit():
            raise FurimaError(f"not a token id: {target!r} (see furima api_token list USERNAME)")
        token = api_token_revoke(token_id=int(target))
        self.stdout.write(f"revoked API token {token.pk} of {token.user.username}")

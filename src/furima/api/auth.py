"""Who is calling: a bearer token (scripts, other services) or the browser session.

Bearer comes first: a token client carries no CSRF cookie, and session auth would answer it
with a CSRF 403 before the token was even looked at."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from furima.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_authenticate(token=token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]

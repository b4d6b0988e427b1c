"""Reads about users: their profile and API tokens. (The ratings other traders gave them live
with the trades: `trades.selectors.rating_counts`.)"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from furima import clock
from furima.accounts.models import ApiToken, Profile, User
from furima.accounts.tokens import password_fingerprint


def profile_get(*, user: User) -> Profile:
    """The user's profile; an unsaved blank one if they never wrote it (reads never write)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


TOKEN_STATUS_LABELS = {
    "active": _("active"),
    "expired": _("expired"),
    "revoked": _("revoked"),
    "password_changed": _("stopped: the password changed"),
}


def api_tokens_of(*, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (with the user, for their status)."""
    return list(ApiToken.objects.filter(user=user).select_related("user"))


def api_token_status(token: ApiToken, *, now: datetime | None = None) -> str:
    """One of TOKEN_STATUS_LABELS: whether the token works, and if not, why."""
    if token.revoked_at is not None:
        return "revoked"
    if token.password_fingerprint != password_fingerprint(token.user.password):
        return "password_changed"
    if token.expires_at is not None and token.expires_at <= (now or clock.now()):
        return "expired"
    return "active"

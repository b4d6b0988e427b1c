"""Reads about users: their profile and the ratings other traders gave them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from furima import clock
from furima.accounts.models import ApiToken, Profile, User
from furima.accounts.tokens import password_fingerprint


@dataclass(frozen=True, slots=True)
class RatingCounts:
    """良い / 普通 / 悪い: how many ratings of each kind a user received."""

    good: int = 0
    normal: int = 0
    bad: int = 0

    @property
    def total(self) -> int:
        return self.good + self.normal + self.bad


def rating_counts(*, user: User) -> RatingCounts:
    """Counted from the ratings themselves (indexed by receiver and rating), so no counter
    row has to be locked when a trade is rated."""
    from furima.trades.models import Rating  # the ratings live with their trades

    found = Rating.objects.filter(ratee=user).aggregate(
        good=Count("pk", filter=Q(rating="good")),
        normal=Count("pk", filter=Q(rating="normal")),
        bad=Count("pk", filter=Q(rating="bad")),
    )
    return RatingCounts(**found)


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

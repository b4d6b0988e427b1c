"""Reads about users: their profile and the ratings other traders gave them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from furima.accounts.models import ApiToken, Profile, User


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


def user_for_api_token(*, token: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    from furima.accounts.services import api_token_digest

    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=api_token_digest(token), user__is_active=True)
        .first()
    )
    return found.user if found else None

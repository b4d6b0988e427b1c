"""Reads for questions and answers (コメント) and likes (いいね) on listings."""

from __future__ import annotations

from django.db.models import QuerySet

from furima.market.models import ListingComment, ListingLike

COMMENT_ORDERING = ("created_at", "id")
"""Oldest first: a thread reads as a conversation, each answer below its question."""

LIKED_ORDERING = ("-created_at", "-id")
"""The newest like first, on マイページ and in `GET /api/v1/me/likes`."""


def comments_of(*, listing_id: int) -> QuerySet[ListingComment]:
    """The listing's comments, deleted ones included (they keep their place)."""
    return ListingComment.objects.filter(listing_id=listing_id).select_related("author")


def likes_of(*, user) -> QuerySet[ListingLike]:
    """The user's likes with their listings (page them in `LIKED_ORDERING`)."""
    return (
        ListingLike.objects.filter(user=user)
        .select_related("listing", "listing__seller")
        .prefetch_related("listing__photos")  # the cards' thumbnails, one query a page
    )


def liked_by(*, user, listing_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ListingLike.objects.filter(user=user, listing_id=listing_id).exists()

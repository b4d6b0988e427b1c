"""Writes for what happens around a listing before anyone buys it: public questions and
answers (コメント) and likes (いいね).

Questions are open while the item is on sale; once it is sold (or withdrawn) they close and
a new one is refused with `not_allowed_in_state` — what is left to say belongs to the trade's
own messages. A comment by the seller is the seller's answer and is marked as such.

Notices: the market sits below `notify` in the layers (notify reads listings), so the
market never imports it. As the trade service does for its events, `comment_post` calls the
functions named in `FURIMA_LISTING_COMMENT_SUBSCRIBERS` inside its transaction; they write
the outbox rows, which commit (or roll back) with the comment.

Rate limit: at most `COMMENT_LIMITS` comments per author, counted from the comments table
itself inside the posting transaction. django-ratelimit was considered: it keeps its counts
in a cache and refuses every cache backend this project can offer without new
infrastructure (per-process memory, the database, files: its system check E003), while the
table is already shared by every web process and exact. Deleted comments count too, so
posting and deleting does not reset the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.timezone import localtime

from furima import clock
from furima.errors import Conflict, ForbiddenActor, FurimaError, NotFound, Unauthenticated
from furima.idempotency import idempotency_key_clean
from furima.market.models import (
    MAX_COMMENT_LENGTH,
    ListingComment,
    ListingLike,
    ListingStatus,
)
from furima.market.services import listing_lock

COMMENT_LIMITS: tuple[tuple[int, timedelta], ...] = (
    (5, timedelta(minutes=1)),
    (30, timedelta(hours=1)),
)
"""(comments, window): a person asks a few questions a minute at most; a script asks more."""
_WINDOW_NAMES = {timedelta(minutes=1): "a minute", timedelta(hours=1): "an hour"}


class RateLimited(FurimaError):
    """Too many requests for now; `allowed_from` is when the same request would pass."""

    code = "rate_limited"

    def __init__(self, detail: str, *, allowed_from: datetime) -> None:
        super().__init__(detail)
        self.allowed_from = allowed_from


class NotOnSale(FurimaError):
    code = "not_allowed_in_state"


def comment_post(
    *, listing_id: int, user, body: str, idempotency_key: str | None = None
) -> ListingComment:
    """`user` asks a question on the listing, or the seller answers (a seller's comment is
    marked `by_seller`). The seller is told of a question, the other askers of an answer.

    Raises `Unauthenticated`, `NotFound`, `FurimaError` (`invalid_input`: blank, too long),
    `NotOnSale` (sold or withdrawn), `RateLimited`, `Conflict` (an idempotency key used for
    another comment); each writes nothing. With an `idempotency_key`, the same request again
    returns the first comment."""
    _require_user(user)
    body = _clean_body(body)
    idempotency_key = idempotency_key_clean(idempotency_key)
    with transaction.atomic():
        listing = listing_lock(listing_id)
        if idempotency_key is not None:
            earlier = ListingComment.objects.filter(
                author=user, idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                if earlier.listing_id != listing.pk or earlier.body != body:
                    raise Conflict("this idempotency key was already used for another comment")
                return earlier
        if listing.status != ListingStatus.ON_SALE:
            raise NotOnSale(f"the item is {listing.status}: its questions are closed")
        now = clock.now()
        _check_rate(user, now)
        comment = ListingComment.objects.create(
            listing=listing,
            author=user,
            body=body,
            by_seller=listing.seller_id == user.pk,
            created_at=now,
            idempotency_key=idempotency_key or "",
        )
        for subscriber in _subscribers():
            subscriber(comment=comment, listing=listing)
    return comment


def comment_delete(*, comment_id: int, user, listing_id: int | None = None) -> ListingComment:
    """The comment's author, the listing's seller or staff removes a comment: its text is
    erased, its place in the thread stays. Deleting it again changes nothing.

    Raises `Unauthenticated`, `NotFound` (also for a comment not on `listing_id`),
    `ForbiddenActor` (anyone else)."""
    _require_user(user)
    with transaction.atomic():
        try:
            comment = (
                ListingComment.objects.select_for_update(of=("self",))
                .select_related("listing")
                .get(pk=comment_id)
            )
        except (ListingComment.DoesNotExist, ValueError, TypeError):
            raise NotFound(f"there is no comment {comment_id}") from None
        if listing_id is not None and comment.listing_id != listing_id:
            raise NotFound(f"there is no comment {comment_id} on listing {listing_id}")
        allowed = {comment.author_id, comment.listing.seller_id}
        if user.pk not in allowed and not user.is_staff:
            raise ForbiddenActor("only its author or the seller can delete a comment")
        if comment.deleted_at is None:
            comment.deleted_at = clock.now()
            comment.body = ""
            comment.save(update_fields=["deleted_at", "body"])
    return comment


@dataclass(frozen=True)
class LikeState:
    listing_id: int
    liked: bool
    like_count: int


def like_set(*, listing_id: int, user) -> LikeState:
    """`user` likes the listing (again: no change). Raises `Unauthenticated`, `NotFound`,
    `ForbiddenActor` (the seller's own item), `NotOnSale` (sold or withdrawn)."""
    _require_user(user)
    with transaction.atomic():
        listing = listing_lock(listing_id)
        if listing.seller_id == user.pk:
            raise ForbiddenActor("you cannot like your own item")
        if ListingLike.objects.filter(listing=listing, user=user).exists():
            return LikeState(listing.pk, True, listing.like_count)
        if listing.status != ListingStatus.ON_SALE:
            raise NotOnSale(f"the item is {listing.status}: it cannot be liked any more")
        ListingLike.objects.create(listing=listing, user=user, created_at=clock.now())
        listing.like_count += 1
        listing.save(update_fields=["like_count"])
    return LikeState(listing.pk, True, listing.like_count)


def like_unset(*, listing_id: int, user) -> LikeState:
    """`user` takes their like back (none: no change), in any state of the listing."""
    _require_user(user)
    with transaction.atomic():
        listing = listing_lock(listing_id)
        removed, _ = ListingLike.objects.filter(listing=listing, user=user).delete()
        if removed:
            listing.like_count = max(listing.like_count - 1, 0)
            listing.save(update_fields=["like_count"])
    return LikeState(listing.pk, False, listing.like_count)


def _clean_body(body) -> str:
    body = body.strip() if isinstance(body, str) else ""
    if not body:
        raise FurimaError("write your question or answer first")
    if len(body) > MAX_COMMENT_LENGTH:
        raise FurimaError(f"a comment is at most {MAX_COMMENT_LENGTH} characters")
    if "\x00" in body:
        raise FurimaError("a comment cannot contain a NUL character")
    return body


def _check_rate(user, now: datetime) -> None:
    for limit, window in COMMENT_LIMITS:
        recent = list(
            ListingComment.objects.filter(author=user, created_at__gt=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            raise RateLimited(
                f"at most {limit} comments in {_WINDOW_NAMES[window]}; try again later",
                allowed_from=localtime(recent[-1] + window),  # times leave in Tokyo
            )


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")


def _subscribers():
    return [
        import_string(path) for path in getattr(settings, "FURIMA_LISTING_COMMENT_SUBSCRIBERS", ())
    ]

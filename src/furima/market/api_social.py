"""/api/v1: questions and answers on a listing (コメント) and likes (いいね).

GET    /listings/{id}/comments                 oldest first, paged (Link rel="next")
POST   /listings/{id}/comments                 {"body"}: a question, or the seller's answer
DELETE /listings/{id}/comments/{comment_id}    the author or the seller removes it
PUT    /listings/{id}/like, DELETE …/like      like / take the like back (idempotent)
GET    /me/likes                               the caller's liked listings, newest like first
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.timezone import localtime
from ninja import Field, Header, Router, Schema, Status

from furima.market.api import ListingOut, _listing
from furima.market.models import MAX_COMMENT_LENGTH, ListingComment
from furima.market.selectors import listing_get
from furima.market.selectors_social import (
    COMMENT_ORDERING,
    LIKED_ORDERING,
    comments_of,
    likes_of,
)
from furima.market.services_social import (
    LikeState,
    comment_delete,
    comment_post,
    like_set,
    like_unset,
)
from furima.pagination import DEFAULT_LIMIT, paginate
from furima.schemas import ERRORS, ErrorOut, PartyOut

router = Router(tags=["questions and likes"])

RATE_LIMITED = {429: ErrorOut}


class CommentOut(Schema):
    id: int
    listing_id: int
    author: PartyOut
    by_seller: bool = Field(description="the seller's answer (or comment) on their own item")
    body: str | None = Field(description="null once the comment is deleted")
    deleted: bool
    created_at: datetime
    deleted_at: datetime | None


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_COMMENT_LENGTH)


class LikeOut(Schema):
    listing_id: int
    liked: bool
    like_count: int


def comment_resource(comment: ListingComment) -> dict:
    author = comment.author
    return {
        "id": comment.pk,
        "listing_id": comment.listing_id,
        "author": {
            "id": author.pk,
            "username": author.username,
            "display_name": author.display_name,
        },
        "by_seller": comment.by_seller,
        "body": None if comment.deleted else comment.body,
        "deleted": comment.deleted,
        "created_at": localtime(comment.created_at),
        "deleted_at": localtime(comment.deleted_at) if comment.deleted else None,
    }


def _like(state: LikeState) -> dict:
    return {"listing_id": state.listing_id, "liked": state.liked, "like_count": state.like_count}


@router.get(
    "/listings/{listing_id}/comments", response={200: list[CommentOut], **ERRORS}, auth=None
)
def comments_list(
    request, response: HttpResponse, listing_id: int, limit: int = DEFAULT_LIMIT, cursor: str = ""
):
    """The listing's public questions and answers, oldest first; a deleted one keeps its
    place with `deleted: true` and no body."""
    listing_get(listing_id=listing_id)  # 404 for an unknown listing, not an empty list
    rows = paginate(
        request,
        response,
        comments_of(listing_id=listing_id),
        ordering=COMMENT_ORDERING,
        limit=limit,
        cursor=cursor,
    )
    return [comment_resource(c) for c in rows]


@router.post(
    "/listings/{listing_id}/comments",
    response={201: CommentOut, **ERRORS, **RATE_LIMITED},
)
def comments_new(
    request,
    listing_id: int,
    payload: CommentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
):
    """Ask a question on an item on sale (the seller: answer). Blank or over
    `MAX_COMMENT_LENGTH` characters is 400 `invalid_input`; a sold or withdrawn item is 409
    `not_allowed_in_state`; too many comments at once is 429 `rate_limited` with
    `allowed_from`. The seller is notified of a question, earlier askers of an answer."""
    comment = comment_post(
        listing_id=listing_id,
        user=request.user,
        body=payload.body,
        idempotency_key=idempotency_key,
    )
    return Status(201, comment_resource(comment))


@router.delete(
    "/listings/{listing_id}/comments/{comment_id}",
    response={200: CommentOut, **ERRORS},
)
def comments_delete(request, listing_id: int, comment_id: int):
    """The comment's author or the listing's seller deletes it (again: no change); anyone
    else gets 403 `forbidden_actor`."""
    comment = comment_delete(comment_id=comment_id, user=request.user, listing_id=listing_id)
    return comment_resource(comment)


@router.put("/listings/{listing_id}/like", response={200: LikeOut, **ERRORS})
def like_put(request, listing_id: int):
    """Like the item (again: no change). The seller's own item is 403 `forbidden_actor`; a
    sold or withdrawn item 409 `not_allowed_in_state`."""
    return _like(like_set(listing_id=listing_id, user=request.user))


@router.delete("/listings/{listing_id}/like", response={200: LikeOut, **ERRORS})
def like_delete(request, listing_id: int):
    """Take the like back (none: no change)."""
    return _like(like_unset(listing_id=listing_id, user=request.user))


@router.get("/me/likes", response={200: list[ListingOut], **ERRORS})
def my_likes(request, response: HttpResponse, limit: int = DEFAULT_LIMIT, cursor: str = ""):
    """The listings the caller liked, newest like first (sold ones too)."""
    rows = paginate(
        request,
        response,
        likes_of(user=request.user),
        ordering=LIKED_ORDERING,
        limit=limit,
        cursor=cursor,
    )
    return [_listing(like.listing, request) for like in rows]

"""Reads from the market."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from furima.errors import NotFound
from furima.market.models import Listing, ListingStatus


def listings_on_sale() -> QuerySet[Listing]:
    return (
        Listing.objects.filter(status=ListingStatus.ON_SALE)
        .select_related("seller")
        .prefetch_related("photos")
    )


def listings_of(*, seller) -> QuerySet[Listing]:
    return Listing.objects.filter(seller=seller).prefetch_related("photos")


def listing_get(*, listing_id: int) -> Listing:
    listing = (
        Listing.objects.select_related("seller")
        .prefetch_related("photos")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        raise NotFound(f"there is no listing {listing_id}")
    return listing


MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8


def listings_search(*, query: str = "") -> QuerySet[Listing]:
    """Items on sale whose title or description contains every word of `query`.

    Only the first `MAX_QUERY_WORDS` distinct words (of the first `MAX_QUERY_LENGTH`
    characters) count: each word is one more condition in the SQL, and hundreds of them make
    the database refuse the query ("expression tree too large") instead of answering it."""
    found = listings_on_sale()
    words = dict.fromkeys(query[:MAX_QUERY_LENGTH].split())
    for word in list(words)[:MAX_QUERY_WORDS]:
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return found

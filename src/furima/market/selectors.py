"""Reads from the market."""

from __future__ import annotations

from django.db.models import QuerySet

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

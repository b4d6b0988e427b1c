"""/api/v1/listings: browse, list an item, buy it."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Header, Router, Schema, Status

from furima.api.auth import AUTH
from furima.api.pagination import DEFAULT_LIMIT, paginate
from furima.api.schemas import ERRORS, PartyOut
from furima.market.models import MAX_PRICE, MIN_PRICE, ShippingPayer, ShipWithin
from furima.market.selectors import listing_get, listings_search
from furima.market.services import (
    MAX_DESCRIPTION_LENGTH,
    MAX_TITLE_LENGTH,
    listing_create,
    listing_purchase,
)
from furima.trades.api import TradeOut, trade_resource

router = Router(tags=["market"])


class ListingOut(Schema):
    id: int
    title: str
    description: str
    price: int
    shipping_payer: str
    ship_within: str
    status: str
    seller: PartyOut
    created_at: datetime


class ListingIn(Schema):
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    price: int = Field(ge=MIN_PRICE, le=MAX_PRICE)
    description: str = Field("", max_length=MAX_DESCRIPTION_LENGTH)
    shipping_payer: ShippingPayer = ShippingPayer.SELLER
    ship_within: ShipWithin = ShipWithin.DAYS_2_3


class PurchaseIn(Schema):
    policy: str | None = None


def _listing(listing) -> dict:
    seller = listing.seller
    return {
        "id": listing.pk,
        "title": listing.title,
        "description": listing.description,
        "price": listing.price,
        "shipping_payer": listing.shipping_payer,
        "ship_within": listing.ship_within,
        "status": listing.status,
        "seller": {
            "id": seller.pk,
            "username": seller.username,
            "display_name": seller.display_name,
        },
        "created_at": listing.created_at,
    }


@router.get("/listings", response={200: list[ListingOut], **ERRORS}, auth=None)
def listings_list(
    request, response: HttpResponse, q: str = "", limit: int = DEFAULT_LIMIT, cursor: str = ""
):
    """Items on sale, newest first; `q` matches every word in the title or description.
    Paged: the next page's URL is in the `Link` header (rel="next")."""
    page = paginate(
        request,
        response,
        listings_search(query=q),
        ordering=("-created_at", "-id"),
        limit=limit,
        cursor=cursor,
    )
    return [_listing(x) for x in page]


@router.get("/listings/{listing_id}", response={200: ListingOut, **ERRORS}, auth=None)
def listing_detail(request, listing_id: int):
    return _listing(listing_get(listing_id=listing_id))


@router.post("/listings", response={201: ListingOut, **ERRORS}, auth=AUTH)
def listing_new(request, payload: ListingIn):
    data = payload.dict()
    data["shipping_payer"], data["ship_within"] = (
        str(payload.shipping_payer),
        str(payload.ship_within),
    )
    listing = listing_create(seller=request.user, **data)
    return Status(201, _listing(listing))


@router.post("/listings/{listing_id}/purchase", response={201: TradeOut, **ERRORS}, auth=AUTH)
def listing_buy(
    request,
    listing_id: int,
    payload: PurchaseIn | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Buy the item: the trade starts, pinned to the default (or the named) policy."""
    trade = listing_purchase(
        listing_id=listing_id,
        buyer=request.user,
        idempotency_key=idempotency_key,
        policy_id=payload.policy if payload else None,
    )
    return Status(201, trade_resource(trade, request.user))

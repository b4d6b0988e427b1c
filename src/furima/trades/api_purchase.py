"""POST /api/v1/listings/{id}/purchase: buy an item, which starts its trade (documented with
the market's endpoints, where a client looks for it)."""

from __future__ import annotations

from ninja import Field, Header, Router, Schema, Status

from furima.market.models import ShippingPayer, ShipWithin
from furima.schemas import ERRORS
from furima.trades.api import TradeOut, trade_resource
from furima.trades.purchase import listing_purchase

router = Router(tags=["market"])


class PurchaseIn(Schema):
    """What the buyer was shown: the purchase goes through only if the listing still says
    so (else 409 `price_changed`, nothing written)."""

    expected_price: int = Field(description="the price in yen the buyer was shown")
    address_id: int | None = Field(
        None,
        description="where to ship: one of the caller's addresses (GET /api/v1/addresses); "
        "another's is 404 `not_found`. Omitted: the newest address in the caller's book, or "
        "none when the book is empty (CONTRACT.md asks only for `expected_price`)",
    )
    shipping_payer: ShippingPayer | None = Field(None, description="as shown, if given")
    ship_within: ShipWithin | None = Field(None, description="as shown, if given")
    shipping_method: str | None = Field(
        None, max_length=40, description="the shipping method id as shown, if given"
    )
    policy: str | None = Field(
        None, description="a policy id; demo mode or staff only (else 403 `forbidden`)"
    )


@router.post(
    "/listings/{listing_id}/purchase",
    response={201: TradeOut, **ERRORS},
    operation_id="furima_market_api_listing_buy",  # as before the move: clients keep their name
)
def listing_buy(
    request,
    listing_id: int,
    payload: PurchaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
):
    """Buy the item at the price (and terms) the buyer was shown: the trade starts, pinned to
    the platform's policy. A changed listing answers 409 `price_changed` and writes nothing."""
    trade = listing_purchase(
        listing_id=listing_id,
        buyer=request.user,
        expected_price=payload.expected_price,
        shipping_payer=None if payload.shipping_payer is None else str(payload.shipping_payer),
        ship_within=None if payload.ship_within is None else str(payload.ship_within),
        shipping_method=payload.shipping_method,
        address_id=payload.address_id,
        idempotency_key=idempotency_key,
        policy_id=payload.policy,
    )
    return Status(201, trade_resource(trade, request.user))

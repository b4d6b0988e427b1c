"""Small factories: users, listings, and trades brought to a state through the real services
(so every row, event and posting is one the application itself would have written)."""

from __future__ import annotations

import itertools

from furima.accounts.services import user_create
from furima.market.models import Listing
from furima.market.services import listing_create
from furima.shipping.models import Address
from furima.shipping.services import address_create
from furima.trades.models import Trade
from furima.trades.purchase import listing_purchase
from furima.trades.services import trade_act

_numbers = itertools.count(1)


def make_user(username: str | None = None, *, staff: bool = False):
    name = username or f"user{next(_numbers)}"
    return user_create(username=name, is_staff=staff)  # no password: hashing is slow


def make_staff(username: str | None = None):
    return make_user(username or f"staff{next(_numbers)}", staff=True)


ADDRESS = {
    "name": "山田 太郎",
    "postal_code": "150-0001",
    "prefecture": "13",
    "city": "渋谷区",
    "address_line1": "神宮前1-2-3",
    "address_line2": "フリマハイツ101",
    "phone": "090-1234-5678",
}
"""A valid address (the fields as a form or the API sends them)."""


def make_address(user, **changes: str) -> Address:
    return address_create(user=user, **{**ADDRESS, **changes})


def make_listing(
    *,
    seller=None,
    price: int = 1200,
    ship_within: str = "2-3",
    title: str = "文庫本 3冊セット",
    shipping_method: str = "undecided",
) -> Listing:
    return listing_create(
        seller=seller or make_user(),
        title=title,
        price=price,
        ship_within=ship_within,
        shipping_method=shipping_method,
    )


def make_trade(
    state: str = "awaiting_shipment",
    *,
    seller=None,
    buyer=None,
    price: int = 1200,
    ship_within: str = "2-3",
    shipping_method: str = "undecided",
    with_address: bool = False,
) -> Trade:
    """A trade in `state`, reached the way users reach it, at the current clock time:
    `awaiting_shipment`, `shipped`, `awaiting_seller_rating`, `completed` or `cancelled`.
    `with_address`: bought with an address from the buyer's book (`ADDRESS`)."""
    listing = make_listing(
        seller=seller, price=price, ship_within=ship_within, shipping_method=shipping_method
    )
    buyer = buyer or make_user()
    address_id = make_address(buyer).pk if with_address else None
    trade = listing_purchase(listing_id=listing.pk, buyer=buyer, address_id=address_id)
    steps = {
        "awaiting_shipment": [],
        "shipped": ["ship"],
        "awaiting_seller_rating": ["ship", "buyer_rates"],
        "completed": ["ship", "buyer_rates", "seller_rates"],
        "cancelled": ["seller_cancels"],
    }[state]
    for step in steps:
        act(trade, step)
    trade.refresh_from_db()
    assert trade.state == state
    return trade


def tracking_for(trade: Trade) -> str:
    """A tracking number the trade's shipping method takes: "1234" when no carrier is
    chosen, a 12-digit one for a carrier, none where the method has none."""
    method = trade.shipping
    if method.tracking_number == "none":
        return ""
    return "1234" if method.carrier is None else "1234-5678-9012"


def act(trade: Trade, step: str):
    """One named step by the party who takes it."""
    buyer, seller = trade.buyer, trade.seller
    if step == "ship":
        return trade_act(
            trade_id=trade.pk, user=seller, action="ship", tracking_number=tracking_for(trade)
        )
    if step == "buyer_rates":
        return trade_act(trade_id=trade.pk, user=buyer, action="rate", rating="good")
    if step == "seller_rates":
        return trade_act(trade_id=trade.pk, user=seller, action="rate", rating="good")
    if step == "seller_cancels":
        return trade_act(trade_id=trade.pk, user=seller, action="cancel", reason="在庫切れ")
    raise ValueError(step)

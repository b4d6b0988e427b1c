"""Small factories: users, listings, and trades brought to a state through the real services
(so every row, event and posting is one the application itself would have written)."""

from __future__ import annotations

import itertools

from furima.accounts.services import user_create
from furima.market.models import Listing
from furima.market.services import listing_create, listing_purchase
from furima.trades.models import Trade
from furima.trades.services import trade_act

_numbers = itertools.count(1)


def make_user(username: str | None = None, *, staff: bool = False):
    name = username or f"user{next(_numbers)}"
    return user_create(username=name, is_staff=staff)  # no password: hashing is slow


def make_staff(username: str | None = None):
    return make_user(username or f"staff{next(_numbers)}", staff=True)


def make_listing(
    *, seller=None, price: int = 1200, ship_within: str = "2-3", title: str = "文庫本 3冊セット"
) -> Listing:
    return listing_create(
        seller=seller or make_user(), title=title, price=price, ship_within=ship_within
    )


def make_trade(
    state: str = "awaiting_shipment",
    *,
    seller=None,
    buyer=None,
    price: int = 1200,
    ship_within: str = "2-3",
) -> Trade:
    """A trade in `state`, reached the way users reach it, at the current clock time:
    `awaiting_shipment`, `shipped`, `awaiting_seller_rating`, `completed` or `cancelled`."""
    listing = make_listing(seller=seller, price=price, ship_within=ship_within)
    trade = listing_purchase(listing_id=listing.pk, buyer=buyer or make_user())
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


def act(trade: Trade, step: str):
    """One named step by the party who takes it."""
    buyer, seller = trade.buyer, trade.seller
    if step == "ship":
        return trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")
    if step == "buyer_rates":
        return trade_act(trade_id=trade.pk, user=buyer, action="rate", rating="good")
    if step == "seller_rates":
        return trade_act(trade_id=trade.pk, user=seller, action="rate", rating="good")
    if step == "seller_cancels":
        return trade_act(trade_id=trade.pk, user=seller, action="cancel", reason="在庫切れ")
    raise ValueError(step)

"""Buying a listing creates the trade, puts the price in escrow and is possible only once."""

from __future__ import annotations

import pytest

from furima.ledger.selectors import buyer_payments_balance, trade_escrow_balance
from furima.market.models import ListingStatus
from furima.market.services import listing_withdraw
from furima.process import default_registry
from furima.trades.errors import Conflict, ForbiddenActor, NotFound, Unauthenticated
from furima.trades.models import Trade, TradeEvent
from furima.trades.purchase import listing_purchase
from tests.factories import make_listing, make_user


def test_purchase_creates_a_trade_awaiting_shipment_pinned_to_the_default_policy(db, clock):
    listing = make_listing(price=1500, ship_within="1-2")
    buyer = make_user()

    trade = listing_purchase(listing_id=listing.pk, buyer=buyer)

    latest = default_registry().get("furima")
    assert (trade.state, trade.buyer, trade.seller) == ("awaiting_shipment", buyer, listing.seller)
    assert (trade.policy_id, trade.policy_version) == ("furima", latest.version)
    assert (trade.price, trade.ship_within, trade.purchased_at) == (1500, "1-2", clock.now())
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SOLD


def test_purchase_moves_the_price_from_the_buyer_into_escrow(db, clock):
    buyer = make_user()
    trade = listing_purchase(listing_id=make_listing(price=2000).pk, buyer=buyer)

    assert trade_escrow_balance(trade_id=trade.pk) == 2000
    assert buyer_payments_balance(user=buyer) == -2000


def test_purchase_is_logged_as_the_trades_first_event_and_tells_the_seller(db, clock):
    trade = listing_purchase(listing_id=make_listing().pk, buyer=make_user())

    [event] = TradeEvent.objects.filter(trade=trade)
    assert (event.seq, event.actor, event.action, event.notify) == (
        1,
        "buyer",
        "purchase",
        ["seller"],
    )
    assert event.user == trade.buyer


def test_purchase_sets_the_ship_by_timer(db, clock):
    trade = listing_purchase(listing_id=make_listing(ship_within="2-3").pk, buyer=make_user())

    assert trade.next_timer_name == "auto_cancel_at"
    assert trade.next_timer_at > clock.now()


def test_second_buyer_gets_conflict_when_listing_already_sold(db, clock):
    listing = make_listing()
    listing_purchase(listing_id=listing.pk, buyer=make_user())

    with pytest.raises(Conflict) as raised:
        listing_purchase(listing_id=listing.pk, buyer=make_user())

    assert raised.value.code == "conflict"
    assert Trade.objects.filter(listing=listing).count() == 1


def test_a_withdrawn_listing_cannot_be_bought(db, clock):
    listing = make_listing()
    listing_withdraw(listing_id=listing.pk, user=listing.seller)

    with pytest.raises(Conflict):
        listing_purchase(listing_id=listing.pk, buyer=make_user())
    assert not Trade.objects.exists()


def test_seller_cannot_buy_their_own_listing(db, clock):
    listing = make_listing()

    with pytest.raises(ForbiddenActor) as raised:
        listing_purchase(listing_id=listing.pk, buyer=listing.seller)

    assert raised.value.code == "forbidden_actor"
    assert not Trade.objects.exists()


def test_buying_an_unknown_listing_is_not_found(db, clock):
    with pytest.raises(NotFound) as raised:
        listing_purchase(listing_id=999_999, buyer=make_user())
    assert raised.value.code == "not_found"


def test_an_anonymous_visitor_cannot_buy(db, clock):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Unauthenticated) as raised:
        listing_purchase(listing_id=make_listing().pk, buyer=AnonymousUser())
    assert raised.value.code == "unauthenticated"


def test_a_repeated_purchase_with_the_same_idempotency_key_returns_the_same_trade(db, clock):
    listing = make_listing()
    buyer = make_user()

    first = listing_purchase(listing_id=listing.pk, buyer=buyer, idempotency_key="k-1")
    again = listing_purchase(listing_id=listing.pk, buyer=buyer, idempotency_key="k-1")

    assert again.pk == first.pk
    assert TradeEvent.objects.filter(trade=first).count() == 1

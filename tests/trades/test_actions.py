"""`trade_act`: every contract action goes through one service that locks, decides and
persists everything the decision says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from furima.ledger.selectors import sales_balance, trade_escrow_balance
from furima.process.ledger import fee_for
from furima.trades.errors import ActionRejected
from furima.trades.models import Message, Rating, TradeEvent
from furima.trades.selectors import rating_counts, trade_deadlines, trade_messages
from furima.trades.services import trade_act, trade_act_as_platform
from tests.factories import make_staff, make_trade

FURIMA_FEE_PERCENT = 5


def test_seller_ships_with_a_tracking_number_and_the_buyer_is_told(db, clock):
    trade = make_trade("awaiting_shipment")

    result = trade_act(
        trade_id=trade.pk, user=trade.seller, action="ship", tracking_number=" 4455-6677 "
    )

    trade.refresh_from_db()
    assert (trade.state, trade.shipped_at, trade.tracking_number) == (
        "shipped",
        clock.now(),
        "44556677",  # stored in its normal form (furima.market.tracking)
    )
    assert (result.event.action, result.event.actor, result.event.notify) == (
        "ship",
        "seller",
        ["buyer"],
    )
    assert result.replayed is False


def test_the_actor_defaults_to_the_users_side_of_the_trade(db, clock):
    trade = make_trade("shipped")

    result = trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text="届きました")

    assert result.event.actor == "buyer"


def test_events_are_numbered_in_order_within_the_trade(db, clock):
    trade = make_trade("completed")

    log = list(TradeEvent.objects.filter(trade=trade).values_list("seq", "action", "actor"))

    assert log == [
        (1, "purchase", "buyer"),
        (2, "ship", "seller"),
        (3, "rate", "buyer"),
        (4, "rate", "seller"),
    ]
    trade.refresh_from_db()
    assert trade.revision == 4


def test_buyers_receipt_evaluation_releases_the_price_less_the_fee_to_the_seller(db, clock):
    trade = make_trade("shipped", price=3000)

    trade_act(trade_id=trade.pk, user=trade.buyer, action="rate", rating="good", comment="早い!")

    trade.refresh_from_db()
    assert (trade.state, trade.escrow_released) == ("awaiting_seller_rating", True)
    assert trade_escrow_balance(trade_id=trade.pk) == 0
    assert sales_balance(user=trade.seller) == 3000 - fee_for(3000, FURIMA_FEE_PERCENT)
    rating = Rating.objects.get(trade=trade)
    assert (rating.role, rating.rating, rating.comment, rating.given_by, rating.ratee) == (
        "buyer",
        "good",
        "早い!",
        "buyer",
        trade.seller,
    )


def test_sellers_rating_completes_the_trade(db, clock):
    trade = make_trade("awaiting_seller_rating")
    clock.advance(hours=5)

    trade_act(trade_id=trade.pk, user=trade.seller, action="rate", rating="normal")

    trade.refresh_from_db()
    assert (trade.state, trade.completed_at, trade.next_timer_at) == (
        "completed",
        clock.now(),
        None,
    )


def test_ratings_count_towards_the_rated_users_good_normal_bad(db, clock):
    first = make_trade("shipped")
    second = make_trade("shipped", seller=first.seller)
    trade_act(trade_id=first.pk, user=first.buyer, action="rate", rating="good")
    trade_act(trade_id=second.pk, user=second.buyer, action="rate", rating="bad")
    trade_act(trade_id=first.pk, user=first.seller, action="rate", rating="normal")

    seller_counts = rating_counts(user=first.seller)
    assert (seller_counts.good, seller_counts.normal, seller_counts.bad) == (1, 0, 1)
    assert rating_counts(user=first.buyer).normal == 1


def test_messages_are_stored_with_their_sender_and_side(db, clock):
    trade = make_trade("shipped")

    trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text="まだ届きません")
    trade_act(trade_id=trade.pk, user=trade.seller, action="message", text="確認します")

    messages = [(m.role, m.sender, m.text) for m in trade_messages(trade=trade)]
    assert messages == [
        ("buyer", trade.buyer, "まだ届きません"),
        ("seller", trade.seller, "確認します"),
    ]
    trade.refresh_from_db()
    assert trade.last_buyer_message_at == clock.now()


def test_staff_rate_on_the_buyers_behalf_once_the_seller_asked_the_operator(db, clock):
    trade = make_trade("shipped")
    clock.set(trade_deadlines(trade=trade).operator_request_allowed_from)
    trade_act(trade_id=trade.pk, user=trade.seller, action="request_operator")
    trade.refresh_from_db()
    assert trade.operator_request_status == "open"

    trade_act(trade_id=trade.pk, user=make_staff(), actor="operator", action="proxy_rate")

    trade.refresh_from_db()
    assert (trade.state, trade.operator_request_status) == ("awaiting_seller_rating", "proxy_rated")
    assert Rating.objects.get(trade=trade).given_by == "operator"


def test_buyer_may_cancel_an_unshipped_trade_after_ship_by_and_is_refunded(db, clock):
    trade = make_trade("awaiting_shipment")
    clock.set(trade_deadlines(trade=trade).buyer_cancel_allowed_from)

    trade_act(trade_id=trade.pk, user=trade.buyer, action="cancel", reason="発送されない")

    trade.refresh_from_db()
    assert (trade.state, trade.cancelled_at) == ("cancelled", clock.now())
    assert trade_escrow_balance(trade_id=trade.pk) == 0


def test_a_carrier_confirms_delivery_through_the_platform(db, clock):
    trade = make_trade("shipped")
    clock.advance(days=1)

    result = trade_act_as_platform(trade_id=trade.pk, actor="carrier", action="deliver")

    trade.refresh_from_db()
    assert trade.delivered_at == clock.now()
    assert (result.event.user, result.event.notify) == (None, ["buyer", "seller"])


def test_the_next_timer_follows_the_trade(db, clock):
    trade = make_trade("shipped")
    before = trade.next_timer_at

    trade_act(trade_id=trade.pk, user=trade.buyer, action="report_problem", text="箱が潰れていた")

    trade.refresh_from_db()
    assert trade.problem_reported_at == clock.now()
    # The automatic evaluation is paused while the problem is open: no timer at all.
    assert before is not None
    assert trade.next_timer_at is None


def test_too_early_says_from_when_the_action_is_allowed(db, clock):
    trade = make_trade("shipped")
    allowed_from = trade_deadlines(trade=trade).operator_request_allowed_from
    clock.set(allowed_from - timedelta(minutes=1))

    with pytest.raises(ActionRejected) as raised:
        trade_act(trade_id=trade.pk, user=trade.seller, action="request_operator")

    assert raised.value.code == "too_early"
    assert raised.value.allowed_from == allowed_from


def test_repeating_a_request_with_its_idempotency_key_has_one_effect(db, clock):
    trade = make_trade("shipped")

    first = trade_act(
        trade_id=trade.pk, user=trade.buyer, action="message", text="Hi", idempotency_key="m1"
    )
    again = trade_act(
        trade_id=trade.pk, user=trade.buyer, action="message", text="Hi", idempotency_key="m1"
    )

    assert (again.event.pk, again.replayed) == (first.event.pk, True)
    assert Message.objects.filter(trade=trade).count() == 1


def test_without_an_idempotency_key_each_message_is_its_own(db, clock):
    trade = make_trade("shipped")

    for _ in range(2):
        trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text="Hi")

    assert Message.objects.filter(trade=trade).count() == 2

"""Who may do what, in which state, with which input — the same under every policy.

A rejection names its reason with one of the contract's codes and changes nothing."""

import pytest

from furima.process import (
    Action,
    Actor,
    Command,
    ErrorCode,
    State,
    TradeSnapshot,
    decide,
    default_registry,
)
from tests.process.trades import TradeUnderTest, jst, purchased_and_shipped

FURIMA = default_registry().resolve("furima@1")


def shipped():
    return purchased_and_shipped("furima", purchased="2026-03-02 20:00", shipped="2026-03-03 10:00")


@pytest.mark.parametrize(
    ("actor", "action"),
    [
        ("seller", "purchase"),
        ("operator", "message"),
        ("buyer", "ship"),
        ("seller", "deliver"),
        ("buyer", "request_operator"),
        ("seller", "report_problem"),
        ("buyer", "proxy_rate"),
        ("operator", "rate"),
        ("carrier", "cancel"),
        ("buyer", "complete"),
    ],
)
def test_an_actor_outside_the_action_is_forbidden(actor, action):
    trade = shipped()
    before = trade.snapshot
    decision = trade.do(actor, action, jst("2026-03-04 10:00"), rating="good", text="x")
    assert decision.code is ErrorCode.FORBIDDEN_ACTOR
    assert trade.snapshot == before


def test_the_seller_cannot_rate_before_the_buyer():
    trade = shipped()
    decision = trade.do("seller", "rate", jst("2026-03-04 10:00"), rating="good")
    assert decision.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_there_is_only_one_receipt_evaluation():
    trade = shipped()
    assert trade.do("buyer", "rate", jst("2026-03-04 10:00"), rating="good").accepted
    again = trade.do("buyer", "rate", jst("2026-03-04 11:00"), rating="bad")
    assert again.code is ErrorCode.NOT_ALLOWED_IN_STATE
    assert trade.snapshot.buyer_rating.rating.value == "good"


def test_shipping_twice_is_not_allowed():
    trade = shipped()
    assert (
        trade.do("seller", "ship", jst("2026-03-04 10:00")).code is ErrorCode.NOT_ALLOWED_IN_STATE
    )


def test_a_trade_is_purchased_once():
    trade = shipped()
    decision = trade.do("buyer", "purchase", jst("2026-03-04 10:00"))
    assert decision.code is ErrorCode.NOT_ALLOWED_IN_STATE


@pytest.mark.parametrize("rating", [None, "excellent", "GOOD", ""])
def test_an_unknown_rating_is_invalid(rating):
    trade = shipped()
    before = trade.snapshot
    decision = trade.do("buyer", "rate", jst("2026-03-04 10:00"), rating=rating)
    assert decision.code is ErrorCode.INVALID_RATING
    assert trade.snapshot == before


def test_a_policy_may_allow_only_some_ratings(tmp_path):
    from furima.process import PolicyRegistry
    from furima.process.registry import PACKAGE_POLICY_DIR

    text = (PACKAGE_POLICY_DIR / "furima.v1.toml").read_text(encoding="utf-8")
    (tmp_path / "two.toml").write_text(
        text.replace('ratings = ["good", "normal", "bad"]', 'ratings = ["good", "bad"]'),
        encoding="utf-8",
    )
    trade = TradeUnderTest(PolicyRegistry.from_directories(tmp_path).get("furima"))
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    trade.do("seller", "ship", jst("2026-03-03 10:00"))
    decision = trade.do("buyer", "rate", jst("2026-03-04 10:00"), rating="normal")
    assert decision.code is ErrorCode.INVALID_RATING


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("message", {"text": ""}),
        ("message", {"text": "   \n"}),
        ("message", {"text": "あ" * 2001}),
        ("rate", {"rating": "good", "comment": "x" * 501}),
    ],
)
def test_bad_text_is_invalid_input_and_changes_nothing(action, fields):
    trade = shipped()
    before = trade.snapshot
    decision = trade.do("buyer", action, jst("2026-03-04 10:00"), **fields)
    assert decision.code is ErrorCode.INVALID_INPUT
    assert trade.snapshot == before


def test_a_tracking_number_that_is_too_long_is_invalid():
    trade = TradeUnderTest("furima")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    decision = trade.do("seller", "ship", jst("2026-03-03 10:00"), tracking_number="9" * 65)
    assert decision.code is ErrorCode.INVALID_INPUT
    assert trade.snapshot.state is State.AWAITING_SHIPMENT


def test_messages_are_open_until_the_trade_ends():
    trade = shipped()
    trade.do("buyer", "rate", jst("2026-03-04 10:00"), rating="good")
    assert trade.do(
        "seller", "message", jst("2026-03-04 11:00"), text="ありがとうございました"
    ).accepted
    trade.do("seller", "rate", jst("2026-03-04 12:00"), rating="good")
    late = trade.do("buyer", "message", jst("2026-03-04 13:00"), text="こちらこそ")
    assert late.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_a_repeated_delivery_confirmation_changes_nothing():
    trade = shipped()
    trade.do("carrier", "deliver", jst("2026-03-04 09:00"))
    again = trade.do("carrier", "deliver", jst("2026-03-05 09:00"))
    assert again.accepted and again.notify == ()
    assert trade.snapshot.delivered_at == jst("2026-03-04 09:00")


def test_deliver_and_report_problem_do_not_change_the_state():
    trade = shipped()
    trade.do("carrier", "deliver", jst("2026-03-04 09:00"))
    trade.do("buyer", "report_problem", jst("2026-03-04 10:00"), text="破損")
    assert trade.snapshot.state is State.SHIPPED
    again = trade.do("buyer", "report_problem", jst("2026-03-04 11:00"))
    assert again.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_a_timer_that_is_not_due_is_rejected_so_a_late_worker_is_harmless():
    trade = shipped()
    early = trade.do("system", "proxy_rate", jst("2026-03-05 10:00"), timers=False)
    assert early.code is ErrorCode.TOO_EARLY
    trade.do("buyer", "rate", jst("2026-03-05 11:00"), rating="good")
    stale = trade.do("system", "proxy_rate", jst("2026-03-10 13:00"), timers=False)
    assert stale.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_cancelling_closes_an_open_operator_request():
    trade = shipped()
    trade.do("seller", "request_operator", jst("2026-03-08 13:00"), timers=False)
    trade.do("operator", "cancel", jst("2026-03-08 14:00"), reason="出品者と購入者の合意")
    assert trade.snapshot.operator_request.status.value == "cancelled"


def test_decide_needs_an_aware_time():
    snapshot = TradeSnapshot.new(policy_id="furima", policy_version=1, price=1000)
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(
            snapshot,
            Command(Actor.BUYER, Action.PURCHASE),
            jst("2026-03-02 20:00").replace(tzinfo=None),
            FURIMA,
        )


def test_purchase_moves_the_price_into_escrow_and_tells_the_seller():
    snapshot = TradeSnapshot.new(policy_id="furima", policy_version=1, price=4200)
    decision = decide(
        snapshot, Command(Actor.BUYER, Action.PURCHASE), jst("2026-03-02 20:00"), FURIMA
    )
    assert decision.notify == ("seller",)
    (posting,) = decision.postings
    assert posting.amount_for("escrow") == 4200 and posting.amount_for("buyer") == -4200

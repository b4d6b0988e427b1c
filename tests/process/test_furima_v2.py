"""furima@2: buyer protection after the payout (a claims window), seller paid as fast as v1.

The trade in most tests: bought Monday 2026-03-02 20:00, shipped 03-03 10:00, delivered
(carrier) 03-04 09:00; the engine evaluates receipt on 03-06 13:00 and pays the seller.
"""

from __future__ import annotations

import pytest

from furima.process import ErrorCode, State, default_registry
from furima.process.deadlines import deadlines
from furima.process.ledger import BUYER, ESCROW, PLATFORM_FEES, SELLER
from tests.process.trades import TradeUnderTest, jst, purchased_and_shipped

PRICE = 3000


def evaluated_by_the_engine(policy: str = "furima@2") -> TradeUnderTest:
    trade = purchased_and_shipped(
        policy, purchased="2026-03-02 20:00", shipped="2026-03-03 10:00", price=PRICE
    )
    assert trade.do("carrier", "deliver", jst("2026-03-04 09:00")).accepted
    trade.wait_until(jst("2026-03-06 13:00"))
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING
    assert trade.snapshot.buyer_rating.by.value == "system"
    return trade


def test_new_trades_pin_version_2_and_running_ones_keep_version_1():
    registry = default_registry()
    assert registry.get("furima").version == 2
    assert registry.resolve("furima@1").claim_window_closes_at == ()


def test_the_seller_is_paid_at_the_receipt_evaluation_as_under_version_1():
    for policy in ("furima@1", "furima@2"):
        trade = evaluated_by_the_engine(policy)
        assert trade.balance(ESCROW) == 0
        assert trade.balance(SELLER) == PRICE - PRICE * 5 // 100


def test_the_claims_window_closes_14_days_after_delivery():
    trade = evaluated_by_the_engine()
    found = deadlines(trade.snapshot, trade.policy)
    assert found.claim_window_closes_at == jst("2026-03-18 09:00")


def test_without_a_delivery_record_the_window_closes_14_days_after_the_evaluation():
    trade = purchased_and_shipped(
        "furima@2", purchased="2026-03-02 20:00", shipped="2026-03-03 10:00", price=PRICE
    )
    trade.do("buyer", "rate", jst("2026-03-05 08:30"), rating="good")
    found = deadlines(trade.snapshot, trade.policy)
    assert found.claim_window_closes_at == jst("2026-03-19 08:30")


def test_version_1_refuses_a_report_after_the_evaluation():
    trade = evaluated_by_the_engine("furima@1")
    decision = trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="割れていた")
    assert decision.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_a_claim_inside_the_window_is_accepted_and_tells_the_seller():
    trade = evaluated_by_the_engine()
    decision = trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="割れていた")
    assert decision.accepted
    assert decision.notify == ("seller",)
    assert decision.event.data["claim"] is True
    assert trade.snapshot.claim_open
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING


def test_a_claim_at_the_instant_the_window_closes_is_too_late():
    trade = evaluated_by_the_engine()
    trade.do("seller", "rate", jst("2026-03-07 10:00"), rating="good")
    assert trade.snapshot.state is State.COMPLETED
    last_moment = trade.do("buyer", "report_problem", jst("2026-03-18 08:59"), text="壊れた")
    assert last_moment.accepted
    trade = evaluated_by_the_engine()
    closed = trade.do("buyer", "report_problem", jst("2026-03-18 09:00"), text="壊れた")
    assert closed.code is ErrorCode.NOT_ALLOWED_IN_STATE
    assert "closed" in closed.detail


def test_a_claim_needs_its_text():
    trade = evaluated_by_the_engine()
    decision = trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="  ")
    assert decision.code is ErrorCode.INVALID_INPUT
    assert not trade.snapshot.problem_open


def test_an_open_claim_pauses_the_sellers_rating_window():
    trade = evaluated_by_the_engine()
    assert deadlines(trade.snapshot, trade.policy).seller_rating_closes_at == jst(
        "2026-03-09 13:00"
    )
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="割れていた")
    assert deadlines(trade.snapshot, trade.policy).seller_rating_closes_at is None
    assert trade.wait_until(jst("2026-03-20 00:00")) == []
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING


def test_after_the_claim_the_seller_has_at_least_a_day_to_rate():
    trade = evaluated_by_the_engine()
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="割れていた")
    trade.do("operator", "resolve_problem", jst("2026-03-12 15:00"), text="確認しました")
    assert deadlines(trade.snapshot, trade.policy).seller_rating_closes_at == jst(
        "2026-03-13 15:00"
    )
    steps = trade.wait_until(jst("2026-03-14 00:00"))
    assert [s["action"] for s in steps] == ["complete"]


def test_a_full_refund_after_the_payout_comes_back_from_the_seller():
    trade = evaluated_by_the_engine()
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="割れていた")
    decision = trade.do("operator", "resolve_problem", jst("2026-03-08 10:00"), refund=PRICE)
    assert decision.accepted
    assert decision.notify == ("buyer", "seller")
    (posting,) = decision.postings
    assert posting.kind == "claim_refund"
    assert (posting.amount_for(BUYER), posting.amount_for(SELLER)) == (PRICE, -PRICE)
    assert trade.balance(BUYER) == 0  # paid, then refunded in full
    assert trade.balance(PLATFORM_FEES) == PRICE * 5 // 100  # the fee stays earned
    assert trade.snapshot.refunded_after_payout == PRICE
    again = trade.do("buyer", "report_problem", jst("2026-03-09 10:00"), text="まだ")
    assert again.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_a_partial_refund_and_a_later_claim_never_exceed_the_price():
    trade = evaluated_by_the_engine()
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="傷がある")
    assert trade.do("operator", "resolve_problem", jst("2026-03-08 10:00"), refund=1000).accepted
    trade.do("buyer", "report_problem", jst("2026-03-09 10:00"), text="動かない")
    too_much = trade.do("operator", "resolve_problem", jst("2026-03-10 10:00"), refund=2001)
    assert too_much.code is ErrorCode.INVALID_INPUT
    assert trade.snapshot.claim_open
    assert trade.do("operator", "resolve_problem", jst("2026-03-10 10:00"), refund=2000).accepted
    assert trade.snapshot.refunded_after_payout == PRICE


@pytest.mark.parametrize("refund", [-1, 1.5, "100"])
def test_a_refund_must_be_whole_yen(refund):
    trade = evaluated_by_the_engine()
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="傷がある")
    decision = trade.do("operator", "resolve_problem", jst("2026-03-08 10:00"), refund=refund)
    assert decision.code is ErrorCode.INVALID_INPUT
    assert trade.snapshot.claim_open


def test_a_buyer_may_withdraw_a_claim_but_not_refund_themselves():
    trade = evaluated_by_the_engine()
    trade.do("buyer", "report_problem", jst("2026-03-07 10:00"), text="傷がある")
    greedy = trade.do("buyer", "resolve_problem", jst("2026-03-07 11:00"), refund=100)
    assert greedy.code is ErrorCode.INVALID_INPUT
    withdrawn = trade.do("buyer", "resolve_problem", jst("2026-03-07 11:00"))
    assert withdrawn.accepted and withdrawn.postings == ()
    assert withdrawn.notify == ("seller",)


def test_a_refund_before_the_payout_is_a_cancellation_not_a_claim():
    trade = purchased_and_shipped(
        "furima@2", purchased="2026-03-02 20:00", shipped="2026-03-03 10:00", price=PRICE
    )
    trade.do("buyer", "report_problem", jst("2026-03-04 10:00"), text="届いたが割れていた")
    decision = trade.do("operator", "resolve_problem", jst("2026-03-05 10:00"), refund=500)
    assert decision.code is ErrorCode.INVALID_INPUT

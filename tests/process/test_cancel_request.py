"""Cancellation by mutual agreement: one party asks (`request_cancel`, a reason required), the
other accepts (cancelled, the buyer refunded in full) or declines; unanswered, the request
lapses when the policy's window (3 days) passes. Possible before the receipt evaluation
only: in `awaiting_shipment` and `shipped`."""

from datetime import datetime

import pytest

from furima.process import Actor, ErrorCode, State, deadlines
from furima.process.ledger import BUYER, ESCROW, SELLER
from furima.process.options import allowed_actions
from tests.process.trades import UTC, TradeUnderTest, jst, purchased_and_shipped

POLICIES = ("furima", "rakuma-2016", "mercari-2016")
REASON = "サイズが合わないため"


def unshipped(policy: str = "furima", price: int = 3000) -> TradeUnderTest:
    trade = TradeUnderTest(policy, price=price)
    assert trade.do("buyer", "purchase", jst("2026-03-02 20:00")).accepted
    return trade


def shipped(policy: str = "furima") -> TradeUnderTest:
    return purchased_and_shipped(policy, purchased="2026-03-02 20:00", shipped="2026-03-03 10:00")


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("make", [unshipped, shipped])
@pytest.mark.parametrize(("asker", "answerer"), [("buyer", "seller"), ("seller", "buyer")])
def test_an_accepted_request_cancels_and_refunds_the_buyer_in_full(policy, make, asker, answerer):
    trade = make(policy)
    asked = trade.do(asker, "request_cancel", jst("2026-03-04 09:00"), reason=REASON)
    assert (asked.accepted, asked.notify) == (True, (answerer,))

    accepted = trade.do(answerer, "accept_cancel", jst("2026-03-04 10:00"))

    assert (accepted.accepted, accepted.notify) == (True, (asker,))
    assert accepted.event.data == {"reason": REASON, "requested_by": asker}
    assert trade.state == State.CANCELLED.value
    assert trade.snapshot.cancel_request is None
    for posting in accepted.postings:
        assert sum(e.amount for e in posting.entries) == 0
    assert (trade.balance(ESCROW), trade.balance(BUYER), trade.balance(SELLER)) == (0, 0, 0)


def test_a_declined_request_leaves_the_trade_as_it_was():
    trade = shipped()
    before = trade.snapshot
    trade.do("buyer", "request_cancel", jst("2026-03-04 09:00"), reason=REASON)

    declined = trade.do("seller", "decline_cancel", jst("2026-03-04 10:00"), reason="発送済みです")

    assert (declined.accepted, declined.notify) == (True, ("buyer",))
    assert declined.event.data["expired"] is False
    assert trade.snapshot == before
    assert trade.balance(ESCROW) == 3000


def test_unanswered_the_request_lapses_exactly_when_the_window_passes():
    trade = unshipped()
    trade.do("buyer", "request_cancel", jst("2026-03-03 09:00"), reason=REASON)
    assert deadlines(trade.snapshot, trade.policy).cancel_request_expires_at == jst(
        "2026-03-06 09:00"
    )

    assert trade.wait_until(jst("2026-03-06 08:59:59")) == []
    [lapsed] = trade.wait_until(jst("2026-03-06 09:00"))

    assert (lapsed["actor"], lapsed["action"], lapsed["at"]) == (
        "system",
        "decline_cancel",
        "2026-03-06T09:00:00+09:00",
    )
    assert lapsed["notify"] == ["buyer", "seller"]
    assert trade.snapshot.cancel_request is None
    assert trade.state == State.AWAITING_SHIPMENT.value
    late = trade.do("seller", "accept_cancel", jst("2026-03-06 09:01"))
    assert (late.accepted, late.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


def test_the_window_is_exact_hours_whatever_zone_the_request_came_in():
    trade = unshipped()
    trade.do("seller", "request_cancel", datetime(2026, 3, 3, 0, 30, tzinfo=UTC), reason=REASON)

    found = deadlines(trade.snapshot, trade.policy)

    assert found.cancel_request_expires_at == jst("2026-03-06 09:30")


def test_the_engine_does_not_close_a_request_before_its_window_passes():
    trade = unshipped()
    trade.do("buyer", "request_cancel", jst("2026-03-03 09:00"), reason=REASON)

    early = trade.do("system", "decline_cancel", jst("2026-03-06 08:59"), timers=False)

    assert (early.accepted, early.code) == (False, ErrorCode.TOO_EARLY)
    assert early.allowed_from == jst("2026-03-06 09:00")


def test_the_asker_cannot_answer_their_own_request():
    trade = unshipped()
    trade.do("buyer", "request_cancel", jst("2026-03-03 09:00"), reason=REASON)

    for action in ("accept_cancel", "decline_cancel"):
        decision = trade.do("buyer", action, jst("2026-03-03 10:00"))
        assert (decision.accepted, decision.code) == (False, ErrorCode.FORBIDDEN_ACTOR)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_request_needs_a_reason(reason):
    trade = unshipped()

    decision = trade.do("buyer", "request_cancel", jst("2026-03-03 09:00"), reason=reason)

    assert (decision.accepted, decision.code) == (False, ErrorCode.INVALID_INPUT)


def test_one_request_at_a_time():
    trade = unshipped()
    trade.do("buyer", "request_cancel", jst("2026-03-03 09:00"), reason=REASON)

    again = trade.do("seller", "request_cancel", jst("2026-03-03 10:00"), reason=REASON)

    assert (again.accepted, again.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


def test_there_is_nothing_to_answer_without_a_request():
    trade = unshipped()

    decision = trade.do("seller", "accept_cancel", jst("2026-03-03 10:00"))

    assert (decision.accepted, decision.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


@pytest.mark.parametrize("actor", ["operator", "system", "carrier"])
def test_only_the_parties_ask(actor):
    trade = unshipped()

    decision = trade.do(actor, "request_cancel", jst("2026-03-03 10:00"), reason=REASON)

    assert (decision.accepted, decision.code) == (False, ErrorCode.FORBIDDEN_ACTOR)


def test_not_after_the_receipt_evaluation():
    trade = shipped()
    trade.do("buyer", "rate", jst("2026-03-05 10:00"), rating="good")

    decision = trade.do("seller", "request_cancel", jst("2026-03-05 11:00"), reason=REASON)

    assert (decision.accepted, decision.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


def test_the_receipt_evaluation_ends_a_pending_request():
    trade = shipped()
    trade.do("seller", "request_cancel", jst("2026-03-09 10:00"), reason=REASON)

    trade.wait_until(jst("2026-03-10 13:00"))  # the automatic evaluation comes first

    assert trade.state == State.AWAITING_SELLER_RATING.value
    assert trade.snapshot.cancel_request is None
    late = trade.do("buyer", "accept_cancel", jst("2026-03-10 14:00"))
    assert (late.accepted, late.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


def test_the_screen_offers_the_answer_to_the_other_party_only():
    trade = shipped()
    at = jst("2026-03-04 09:00")
    assert "request_cancel" in allowed_actions(trade.snapshot, Actor.BUYER, at, trade.policy)
    trade.do("buyer", "request_cancel", at, reason=REASON)

    buyer = allowed_actions(trade.snapshot, Actor.BUYER, at, trade.policy)
    seller = allowed_actions(trade.snapshot, Actor.SELLER, at, trade.policy)

    assert not {"request_cancel", "accept_cancel", "decline_cancel"} & set(buyer)
    assert {"accept_cancel", "decline_cancel"} <= set(seller)
    assert "request_cancel" not in seller

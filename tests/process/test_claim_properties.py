"""Properties of claims after the payout (furima@2), whatever the parties and staff do.

Hypothesis invents the trade after the receipt evaluation: claims at any moment (inside the
window or after it, with or without text), staff resolving them with any refund (negative,
fractional, partial, the whole price, more than the price), the buyer withdrawing, the seller
rating, the engine's timers firing in between. Whatever the sequence:

* no refund ever exceeds the price, and the buyer never gets back more than they paid;
* the seller is paid exactly once (one release), and a refund only ever comes back from the
  seller's side, never from escrow;
* every posting balances (``Posting`` refuses to exist otherwise) and escrow ends empty;
* a rejected step changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, seed, settings
from hypothesis import strategies as st

from furima.process import Action, Actor, Command
from furima.process.ledger import BUYER, ESCROW, SELLER
from tests.process.trades import TradeUnderTest, jst

PRICE = 3000
REFUNDS = st.sampled_from([0, 1, 500, 1499, PRICE - 1, PRICE, PRICE + 1, -1, 2.5, None])
TEXTS = st.sampled_from(["", "  ", "割れていました", "x" * 2001])
STEP = st.tuples(
    st.integers(min_value=0, max_value=5 * 24 * 60),  # minutes after the previous step
    st.sampled_from(
        [
            (Actor.BUYER, Action.REPORT_PROBLEM),
            (Actor.BUYER, Action.REPORT_PROBLEM),
            (Actor.OPERATOR, Action.RESOLVE_PROBLEM),
            (Actor.OPERATOR, Action.RESOLVE_PROBLEM),
            (Actor.BUYER, Action.RESOLVE_PROBLEM),
            (Actor.SELLER, Action.RATE),
            (Actor.SELLER, Action.RESOLVE_PROBLEM),
        ]
    ),
    TEXTS,
    REFUNDS,
)


def _evaluated(delivered: bool) -> TradeUnderTest:
    trade = TradeUnderTest("furima@2", price=PRICE)
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    trade.do("seller", "ship", jst("2026-03-03 10:00"))
    if delivered:
        trade.do("carrier", "deliver", jst("2026-03-04 09:00"))
    trade.wait_until(jst("2026-03-11 00:00"))
    return trade


@seed(20261130)
@settings(max_examples=150, deadline=None)
@given(delivered=st.booleans(), steps=st.lists(STEP, max_size=12))
def test_claims_never_refund_more_than_the_price_nor_pay_the_seller_twice(delivered, steps):
    trade = _evaluated(delivered)
    at = jst("2026-03-11 00:00")
    for minutes, (actor, action), text, refund in steps:
        at += timedelta(minutes=minutes)
        trade.replay.run_timers(at)
        before = trade.snapshot
        fields = {"text": text}
        if action is Action.RATE:
            fields = {"rating": "good"}
        elif refund is not None:
            fields["refund"] = refund
        decision = trade.replay.apply(at, Command(actor=actor, action=action, **fields))
        if not decision.accepted:
            assert trade.snapshot == before
        assert 0 <= trade.snapshot.refunded_after_payout <= PRICE
    trade.wait_until(at + timedelta(days=60))

    postings = trade.postings()
    assert [p.kind for p in postings].count("release") == 1
    assert trade.balance(ESCROW) == 0
    refunds = [p for p in postings if p.kind == "claim_refund"]
    assert all(p.amount_for(ESCROW) == 0 and p.amount_for(SELLER) < 0 for p in refunds)
    refunded = sum(p.amount_for(BUYER) for p in refunds)
    assert refunded == trade.snapshot.refunded_after_payout <= PRICE
    assert -PRICE <= trade.balance(BUYER) <= 0
    assert trade.balance(SELLER) == PRICE - PRICE * 5 // 100 - refunded

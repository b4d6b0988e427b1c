"""Real concurrency on PostgreSQL: threads with their own connections race for the same rows.
The trade row lock (and SKIP LOCKED for the workers) must give exactly one effect each time.

SQLite leaves them out (`postgresql_only`): it has one writer at a time by construction
(every transaction takes the write lock up front), so there is no race to test; CI runs these
on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connections

from furima.ledger.models import LedgerPosting
from furima.trades.errors import ActionRejected, Conflict
from furima.trades.models import Message, Rating, Trade, TradeEvent
from furima.trades.purchase import listing_purchase
from furima.trades.selectors import trade_deadlines
from furima.trades.services import timers_apply_due, trade_act
from tests.factories import make_listing, make_trade, make_user

# Left out of the SQLite run (deselected, not skipped): the PostgreSQL run has them.
pytestmark = pytest.mark.postgresql_only


def race(*calls, timeout: float = 60.0) -> list:
    """Start every call at the same instant, each in its own thread with its own database
    connection; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racing thread hung"
    return outcomes


def sweep_until_done() -> int:
    applied = 0
    while (batch := timers_apply_due(batch_size=5)).claimed:
        applied += batch.applied
    return applied


def test_two_buyers_racing_for_a_listing_make_exactly_one_trade(transactional_db, clock):
    listing = make_listing()
    first, second = make_user(), make_user()

    outcomes = race(
        lambda: listing_purchase(listing_id=listing.pk, buyer=first),
        lambda: listing_purchase(listing_id=listing.pk, buyer=second),
    )

    assert Trade.objects.filter(listing=listing).count() == 1
    kinds = sorted(type(outcome).__name__ for outcome in outcomes)
    assert kinds == ["Conflict", "Trade"]
    assert next(o for o in outcomes if isinstance(o, Conflict)).code == "conflict"


def test_buyer_rating_racing_the_worker_gives_exactly_one_receipt_evaluation(
    transactional_db, clock
):
    seller, buyer = make_user(), make_user()
    trades = [make_trade("shipped", seller=seller, buyer=buyer) for _ in range(12)]
    due = trade_deadlines(trade=trades[0]).auto_complete_at
    clock.set(due - timedelta(minutes=1))  # the reminders first, out of the race
    sweep_until_done()
    clock.set(due)

    def buyer_rates_every_trade() -> int:
        won = 0
        for trade in reversed(trades):  # from the other end than the worker starts
            try:
                trade_act(trade_id=trade.pk, user=buyer, action="rate", rating="normal")
                won += 1
            except ActionRejected as refused:
                assert refused.code == "not_allowed_in_state"
        return won

    buyer_won, worker_won = race(buyer_rates_every_trade, sweep_until_done)

    assert buyer_won + worker_won == len(trades)
    for trade in trades:
        assert Rating.objects.filter(trade=trade, role="buyer").count() == 1
        assert LedgerPosting.objects.filter(trade=trade, kind="release").count() == 1
        evaluations = TradeEvent.objects.filter(trade=trade, action__in=["rate", "proxy_rate"])
        assert evaluations.count() == 1


def test_two_workers_sweeping_the_same_due_trades_apply_each_timer_once(transactional_db, clock):
    seller, buyer = make_user(), make_user()
    trades = [make_trade("awaiting_shipment", seller=seller, buyer=buyer) for _ in range(60)]
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)

    applied = race(sweep_until_done, sweep_until_done)

    assert sum(applied) == len(trades)
    per_trade = Counter(
        TradeEvent.objects.filter(action="cancel").values_list("trade_id", flat=True)
    )
    assert set(per_trade.values()) == {1}
    assert len(per_trade) == len(trades)
    assert LedgerPosting.objects.filter(kind="refund").count() == len(trades)


def test_a_double_submitted_action_has_one_effect(transactional_db, clock):
    trade = make_trade("shipped")

    def send():
        return trade_act(
            trade_id=trade.pk,
            user=trade.buyer,
            action="message",
            text="届きました",
            idempotency_key="form-7f3a",
        )

    results = race(send, send, send)

    assert Message.objects.filter(trade=trade).count() == 1
    assert len({result.event.pk for result in results}) == 1
    assert sorted(result.replayed for result in results) == [False, True, True]


def test_a_double_submitted_purchase_makes_one_trade(transactional_db, clock):
    listing = make_listing()
    buyer = make_user()

    def buy():
        return listing_purchase(listing_id=listing.pk, buyer=buyer, idempotency_key="buy-1")

    first, second = race(buy, buy)

    assert first.pk == second.pk
    assert Trade.objects.count() == 1

"""The deadline sweep: due timers are applied through the same decide-and-persist path as a
user's action; anything not due, or no longer due, is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from furima.ledger.selectors import trade_escrow_balance
from furima.trades.models import Rating, Trade, TradeEvent
from furima.trades.selectors import trade_deadlines
from furima.trades.services import timers_apply_due
from tests.factories import make_trade


def sweep_all() -> int:
    applied = 0
    while batch := timers_apply_due(batch_size=10):
        if not batch.claimed:
            break
        applied += batch.applied
    return applied


def test_a_silent_buyers_receipt_evaluation_is_done_by_the_engine_when_due(db, clock):
    trade = make_trade("shipped")
    trade.refresh_from_db()
    # The reminders come first; the evaluation itself at its own due time.
    clock.set(trade_deadlines(trade=trade).auto_complete_at)

    sweep_all()

    trade.refresh_from_db()
    assert trade.state == "awaiting_seller_rating"
    rating = Rating.objects.get(trade=trade)
    assert (rating.given_by, rating.rating) == ("system", "good")
    assert trade_escrow_balance(trade_id=trade.pk) == 0
    actions = list(
        TradeEvent.objects.filter(trade=trade, actor="system").values_list("action", flat=True)
    )
    assert actions[-1] == "proxy_rate"
    assert set(actions[:-1]) <= {"remind"}  # whatever reminders the policy still sends


def test_nothing_happens_before_a_timer_is_due(db, clock):
    trade = make_trade("shipped")
    clock.set(trade.next_timer_at - timedelta(seconds=1))

    assert timers_apply_due(batch_size=10).claimed == 0

    assert TradeEvent.objects.filter(trade=trade).count() == 2


def test_an_unshipped_trade_is_cancelled_and_refunded_at_the_auto_cancel_time(db, clock):
    trade = make_trade("awaiting_shipment")
    clock.set(trade_deadlines(trade=trade).auto_cancel_at)

    assert sweep_all() == 1

    trade.refresh_from_db()
    assert (trade.state, trade.next_timer_at) == ("cancelled", None)
    assert trade_escrow_balance(trade_id=trade.pk) == 0


def test_the_sellers_rating_window_closes_and_the_trade_completes(db, clock):
    trade = make_trade("awaiting_seller_rating")
    clock.set(trade_deadlines(trade=trade).seller_rating_closes_at)

    assert sweep_all() == 1

    trade.refresh_from_db()
    assert trade.state == "completed"


def test_a_stored_due_time_that_is_out_of_date_is_recomputed_not_applied(db, clock):
    trade = make_trade("shipped")
    real_due = trade.next_timer_at
    Trade.objects.filter(pk=trade.pk).update(next_timer_at=clock.now() - timedelta(days=1))

    batch = timers_apply_due(batch_size=10)

    assert (batch.claimed, batch.applied, batch.stale) == (1, 0, 1)
    trade.refresh_from_db()
    assert trade.next_timer_at == real_due
    assert TradeEvent.objects.filter(trade=trade).count() == 2


def test_a_timer_whose_trade_moved_on_is_a_no_op(db, clock):
    trade = make_trade("shipped")
    due = trade_deadlines(trade=trade).auto_complete_at
    # The buyer rated; the row still claims the old due time (as if written by old code).
    from tests.factories import act

    act(trade, "buyer_rates")
    Trade.objects.filter(pk=trade.pk).update(next_timer_at=due)
    clock.set(due)

    sweep_all()

    assert Rating.objects.filter(trade=trade, role="buyer").count() == 1
    assert not TradeEvent.objects.filter(trade=trade, action="proxy_rate").exists()


def test_the_sweep_takes_trades_in_batches(db, clock):
    trades = [make_trade("awaiting_shipment") for _ in range(5)]
    clock.set(max(trade_deadlines(trade=t).auto_cancel_at for t in trades))

    first = timers_apply_due(batch_size=3)
    second = timers_apply_due(batch_size=3)
    third = timers_apply_due(batch_size=3)

    assert (first.applied, second.applied, third.claimed) == (3, 2, 0)


def test_worker_once_applies_everything_due_then_exits(db, clock, caplog):
    trades = [make_trade("awaiting_shipment") for _ in range(3)]
    clock.set(max(trade_deadlines(trade=t).auto_cancel_at for t in trades))

    with caplog.at_level("INFO", logger="furima"):
        call_command("worker", "--once", "--batch-size", "2")

    assert set(Trade.objects.values_list("state", flat=True)) == {"cancelled"}
    assert "worker stopped after 3 items" in caplog.text


def test_a_worker_catching_up_after_downtime_skips_reminders_the_evaluation_overtook(db, clock):
    trade = make_trade("shipped")
    found = trade_deadlines(trade=trade)
    first_reminder, evaluation = found.reminder_at, found.auto_complete_at
    now = evaluation + timedelta(hours=5)  # the worker was down since before the reminder
    clock.set(now)

    batch = timers_apply_due(batch_size=10)

    assert (batch.claimed, batch.applied, batch.skipped) == (1, 2, 1)
    remind, evaluate = TradeEvent.objects.filter(trade=trade, actor="system").order_by("seq")
    assert (remind.action, remind.due_at, remind.at, remind.notify) == (
        "remind",
        first_reminder,
        now,
        [],
    )
    assert remind.data["skipped"] is True
    assert (evaluate.action, evaluate.due_at, evaluate.at) == ("proxy_rate", evaluation, now)
    assert evaluate.notify == ["buyer", "seller"]
    trade.refresh_from_db()
    assert trade.state == "awaiting_seller_rating"
    assert trade.revision == evaluate.seq


def test_a_timer_applied_on_time_is_sent_and_records_its_due_time(db, clock):
    trade = make_trade("shipped")
    due = trade_deadlines(trade=trade).reminder_at
    clock.set(due)

    timers_apply_due(batch_size=10)

    remind = TradeEvent.objects.get(trade=trade, action="remind")
    assert (remind.due_at, remind.at, remind.notify) == (due, due, ["buyer"])
    assert "skipped" not in remind.data


def test_a_partys_own_step_has_no_due_time(db, clock):
    trade = make_trade("shipped")

    assert list(TradeEvent.objects.filter(trade=trade).values_list("due_at", flat=True)) == [
        None,
        None,
    ]

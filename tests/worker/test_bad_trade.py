"""One trade whose timer step raises must not sink the others (STYLE.md §17): it is logged
with its id, backed off and recorded on the trade, while the rest of its batch commits and
the worker keeps sweeping."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from furima import clock as app_clock
from furima.market.models import Listing
from furima.trades.backoff import retry_after
from furima.trades.models import Trade, TradeEvent
from furima.trades.purchase import listing_purchase
from furima.trades.selectors import trade_deadlines, trades_with_failing_timers, workers_seen
from furima.trades.services import timers_apply_due
from tests.factories import make_trade, make_user


def unshipped_trades(count: int) -> list[Trade]:
    """`count` trades bought now and never shipped (due for automatic cancellation at the
    same moment), between one seller and one buyer."""
    seller, buyer = make_user(), make_user()
    listings = Listing.objects.bulk_create(
        Listing(
            seller=seller,
            title=f"本 {n}",
            price=1000 + n,
            ship_within="2-3",
            created_at=app_clock.now(),
            updated_at=app_clock.now(),
        )
        for n in range(count)
    )
    return [listing_purchase(listing_id=listing.pk, buyer=buyer) for listing in listings]


def break_next_step(trade: Trade) -> None:
    """Make the trade's next step fail in the database, as a corrupt row would: an event
    already holds the sequence number the step will take, so its INSERT violates the
    unique (trade, seq)."""
    TradeEvent.objects.create(
        trade=trade, seq=trade.revision + 1, at=trade.updated_at, actor="system", action="remind"
    )


def test_one_failing_trade_among_1000_due_is_backed_off_and_the_other_999_are_applied(
    db, clock, caplog
):
    trades = unshipped_trades(1000)
    broken = trades[700]  # in the second batch of 500
    break_next_step(broken)
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)

    with caplog.at_level("INFO", logger="furima"):
        call_command("worker", "--once", "--batch-size", "500")  # returns: the worker lives

    cancelled = TradeEvent.objects.filter(action="cancel", actor="system")
    assert cancelled.count() == 999
    assert not cancelled.filter(trade=broken).exists()
    assert Trade.objects.filter(state="cancelled").count() == 999
    broken.refresh_from_db()
    assert broken.state == "awaiting_shipment"
    assert broken.timer_failures == 1
    assert broken.timer_last_error.startswith("IntegrityError")
    assert broken.timer_failed_at == clock.now()
    assert broken.next_timer_at == clock.now() + timedelta(minutes=1)
    [failure] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failure.getMessage().startswith(f"trade {broken.pk}: timer ")
    assert "failed (1 in a row), next attempt at" in failure.getMessage()
    assert "worker stopped after 1000 items" in caplog.text
    assert list(trades_with_failing_timers()) == [broken]


def test_a_failing_batch_commits_its_good_trades_and_reports_the_failure(db, clock):
    trades = unshipped_trades(5)
    break_next_step(trades[2])
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)

    batch = timers_apply_due(batch_size=10)

    assert (batch.claimed, batch.applied, batch.failed) == (5, 4, 1)
    assert Trade.objects.filter(state="cancelled").count() == 4


def test_a_trade_whose_policy_cannot_be_loaded_is_backed_off_too(db, clock):
    trades = unshipped_trades(3)
    Trade.objects.filter(pk=trades[0].pk).update(policy_version=999)
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)

    batch = timers_apply_due(batch_size=10)

    assert (batch.applied, batch.failed) == (2, 1)
    trades[0].refresh_from_db()
    assert trades[0].timer_failures == 1
    assert trades[0].timer_last_error


def test_a_backed_off_timer_waits_longer_after_each_failure_up_to_an_hour(db, clock):
    [trade] = unshipped_trades(1)
    Trade.objects.filter(pk=trade.pk).update(policy_version=999)
    clock.set(trade_deadlines(trade=trade).auto_cancel_at)
    waits = []
    for _ in range(9):
        assert timers_apply_due(batch_size=10).failed == 1
        trade.refresh_from_db()
        waits.append(trade.next_timer_at - clock.now())
        assert timers_apply_due(batch_size=10).claimed == 0  # not before the next attempt
        clock.set(trade.next_timer_at)

    minutes = [int(wait.total_seconds() // 60) for wait in waits]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert trade.timer_failures == 9
    assert retry_after(9) == timedelta(hours=1)


def test_a_timer_that_succeeds_after_failing_clears_its_failure_record(db, clock):
    trade = make_trade("awaiting_shipment")
    policy_version = trade.policy_version
    Trade.objects.filter(pk=trade.pk).update(policy_version=999)
    clock.set(trade_deadlines(trade=trade).auto_cancel_at)
    timers_apply_due(batch_size=10)
    Trade.objects.filter(pk=trade.pk).update(policy_version=policy_version)  # fixed
    trade.refresh_from_db()
    clock.set(trade.next_timer_at)

    assert timers_apply_due(batch_size=10).applied == 1

    trade.refresh_from_db()
    assert trade.state == "cancelled"
    assert (trade.timer_failures, trade.timer_last_error, trade.timer_failed_at) == (0, "", None)
    assert not trades_with_failing_timers().exists()


def test_worker_status_lists_the_trades_whose_timers_are_backing_off(db, clock, capsys):
    trades = unshipped_trades(2)
    Trade.objects.filter(pk=trades[1].pk).update(policy_version=999)
    clock.set(trade_deadlines(trade=trades[0]).auto_cancel_at)
    timers_apply_due(batch_size=10)

    call_command("worker", "--status")

    out = capsys.readouterr().out
    assert "timers backing off: 1" in out
    assert f"trade {trades[1].pk}: 1 failure" in out
    assert "next attempt" in out


def test_a_worker_leaves_a_heartbeat_with_its_counts_for_status_health_and_metrics(
    db, clock, capsys
):
    trades = unshipped_trades(3)
    Trade.objects.filter(pk=trades[0].pk).update(policy_version=999)
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)

    call_command("worker", "--once")
    call_command("worker", "--status")

    out = capsys.readouterr().out
    assert "workers running: 0" in out  # it stopped cleanly
    assert "stopped" in out
    [seen] = workers_seen()
    assert (seen.stopped, seen.fresh) == (True, False)
    assert (seen.timers_applied, seen.timers_failed) == (2, 1)

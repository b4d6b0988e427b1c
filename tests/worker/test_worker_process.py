"""`furima worker` as the real process: it stops cleanly on SIGTERM, and when killed outright
in the middle of a batch it loses and duplicates nothing — the next sweep finishes the job."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest

from furima.clock import SystemClock
from furima.trades.models import Trade, TradeEvent
from furima.trades.services import timers_apply_due
from tests.factories import make_trade, make_user
from tests.worker.processes import start_worker, worker_sessions

pytestmark = pytest.mark.slow


def wait_for(condition, *, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def due_trades_in_the_past(clock, count: int) -> list[Trade]:
    """Trades bought 40 real days ago and never shipped: due for automatic cancellation now,
    by the real clock the worker process uses."""
    clock.set(SystemClock().now() - timedelta(days=40))
    seller, buyer = make_user(), make_user()
    return [make_trade("awaiting_shipment", seller=seller, buyer=buyer) for _ in range(count)]


def test_worker_stops_cleanly_on_sigterm(transactional_db):
    worker = start_worker("--idle-seconds", "0.1")
    try:
        assert "worker started" in worker.stdout.readline()
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    finally:
        worker.kill()
    assert worker.returncode == 0, output
    assert "received SIGTERM; stopping after the current batch" in output
    assert "worker stopped after 0 items" in output
    wait_for(lambda: worker_sessions() == 0, what="the worker's session to end")


def test_worker_killed_mid_batch_loses_and_duplicates_nothing(transactional_db, clock, tmp_path):
    trades = due_trades_in_the_past(clock, 30)
    marker = tmp_path / "batches"
    worker = start_worker(
        "--batch-size",
        "10",
        settings_module="tests.worker.lingering",
        FURIMA_TEST_BATCH_MARKER=str(marker),
        FURIMA_TEST_LINGER="1.0",
    )
    try:
        # The second batch is written but not committed: kill it now.
        wait_for(
            lambda: marker.exists() and len(marker.read_text().split()) >= 2,
            what="the worker's second batch",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        worker.kill()
        worker.communicate()

    cancelled = TradeEvent.objects.filter(action="cancel", actor="system")
    assert cancelled.count() == 10  # the first batch, committed whole; the second lost whole

    clock.set(SystemClock().now())
    # The killed process's connection may take a moment to be noticed and its locks freed.
    wait_for(
        lambda: (
            timers_apply_due(batch_size=10).claimed == 0
            and not Trade.objects.exclude(state="cancelled").exists()
        ),
        what="the next sweeps to finish the job",
    )
    for trade in trades:
        assert cancelled.filter(trade=trade).count() == 1
    wait_for(lambda: worker_sessions() == 0, what="the killed worker's session to end")

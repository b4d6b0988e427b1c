"""`furima worker`: run the sweeps (due timers, and whatever else FURIMA_WORKER_SWEEPS lists)
until stopped. Any number may run side by side, on one machine or many.

SIGTERM or SIGINT stops it after the batch in hand commits; a SIGKILL loses at most that
batch's uncommitted transaction, which the next sweep (of this or another worker) redoes.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string
from django.utils.timezone import localtime

from furima import clock
from furima.trades.selectors import timer_backlog, trades_with_failing_timers, workers_seen
from furima.trades.services import worker_heartbeat_record
from furima.trades.tasks import totals as timer_totals

log = logging.getLogger("furima.worker")

HEARTBEAT_SECONDS = 5.0


class Command(BaseCommand):
    help = "Apply due trade timers (and run the other sweeps) until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="sweep until nothing is due, then exit (for cron, tests and benchmarks)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="trades per transaction (default 500)"
        )
        parser.add_argument(
            "--idle-seconds",
            type=float,
            default=1.0,
            help="how long to wait when nothing is due (default 1)",
        )
        parser.add_argument(
            "--status",
            action="store_true",
            help="print the timer backlog and the trades whose timers are backing off, then exit",
        )
        parser.add_argument(
            "--report-seconds",
            type=float,
            default=60.0,
            help="how often to log progress while working (default 60)",
        )

    def handle(self, *args, once: bool, batch_size: int, idle_seconds: float, **options) -> None:
        if options["status"]:
            self.stdout.write(status_report())
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        stopping = threading.Event()

        def stop(signum, frame) -> None:
            log.info("received %s; stopping after the current batch", signal.Signals(signum).name)
            stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        heartbeat = Heartbeat()
        try:
            total = run(
                sweeps=[import_string(path) for path in settings.FURIMA_WORKER_SWEEPS],
                batch_size=batch_size,
                idle_seconds=idle_seconds,
                report_seconds=options["report_seconds"],
                once=once,
                stopping=stopping,
                heartbeat=heartbeat,
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            heartbeat.beat(stopping=True)
        log.info("worker stopped after %d items", total)


class Heartbeat:
    """Tells the database, every HEARTBEAT_SECONDS at most, that this worker is alive and
    what it has done (`WorkerHeartbeat`): for the health endpoint, the metrics and
    `furima worker --status`. A heartbeat that cannot be written is logged, never fatal."""

    def __init__(self) -> None:
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = clock.now()
        self.written_at: float | None = None
        self.counted_before = dict(timer_totals)  # (several workers run in one test process)

    def beat(self, *, stopping: bool = False) -> None:
        now = time.monotonic()
        recent = self.written_at is not None and now - self.written_at < HEARTBEAT_SECONDS
        if recent and not stopping:
            return
        try:
            worker_heartbeat_record(
                name=self.name,
                started_at=self.started_at,
                applied=timer_totals["applied"] - self.counted_before.get("applied", 0),
                failed=timer_totals["failed"] - self.counted_before.get("failed", 0),
                stopping=stopping,
            )
        except Exception:
            log.exception("could not record the worker's heartbeat")
        self.written_at = now


def run(*, sweeps, batch_size, idle_seconds, report_seconds, once, stopping, heartbeat=None) -> int:
    """Round after round of every sweep; wait only when a whole round found nothing."""
    log.info(
        "worker started: %s, batches of %d%s",
        ", ".join(s.__name__ for s in sweeps),
        batch_size,
        " (once)" if once else "",
    )
    total = since_report = 0
    reported_at = time.monotonic()
    while not stopping.is_set():
        if not connection.in_atomic_block:  # (tests run the worker inside a transaction)
            close_old_connections()  # drop a connection the database closed while we slept
        if heartbeat is not None:
            heartbeat.beat()
        done = sum(_sweep(sweep, batch_size) for sweep in sweeps if not stopping.is_set())
        total += done
        since_report += done
        now = time.monotonic()
        if since_report and (done == 0 or now - reported_at >= report_seconds):
            elapsed = max(now - reported_at, 1e-9)
            log.info(
                "%d items in %.1fs (%.0f/s)%s",
                since_report,
                elapsed,
                since_report / elapsed,
                "; nothing more is due" if done == 0 else "",
            )
            since_report, reported_at = 0, now
        if done == 0:
            if once:
                break
            stopping.wait(idle_seconds)
            reported_at = time.monotonic()
    return total


def _sweep(sweep, batch_size: int) -> int:
    """One batch of one sweep. A sweep that raises (the database restarting, a bug outside
    any one trade) is logged and tried again next round: the worker outlives it."""
    try:
        return sweep(batch_size=batch_size)
    except Exception:
        log.exception("sweep %s failed; trying again next round", sweep.__name__)
        return 0


def status_report(*, failing_shown: int = 20) -> str:
    """What `furima worker --status` prints."""
    now = clock.now()
    backlog = timer_backlog()
    lag = (now - backlog.oldest_due_at).total_seconds() if backlog.oldest_due_at else 0.0
    workers = workers_seen()
    lines = [f"workers running: {sum(w.fresh for w in workers)}"]
    for worker in workers:
        state = "stopped" if worker.stopped else "running" if worker.fresh else "silent"
        lines.append(
            f"  {worker.name}: {state}, last seen {localtime(worker.seen_at):%Y-%m-%d %H:%M:%S%z}, "
            f"timers applied {worker.timers_applied}, failed {worker.timers_failed}"
        )
    lines += [
        f"timers due now: {backlog.due} (oldest due {lag:.0f}s ago)",
        f"timers backing off: {backlog.failing}",
    ]
    for trade in trades_with_failing_timers()[:failing_shown]:
        error = trade.timer_last_error.splitlines()[0] if trade.timer_last_error else ""
        plural = "" if trade.timer_failures == 1 else "s"
        lines.append(
            f"  trade {trade.pk}: {trade.timer_failures} failure{plural}, last at "
            f"{localtime(trade.timer_failed_at):%Y-%m-%d %H:%M:%S%z}, next attempt "
            f"{localtime(trade.next_timer_at):%Y-%m-%d %H:%M:%S%z}: {error}"
        )
    return "\n".join(lines)

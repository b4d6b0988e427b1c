"""A due timer whose step raises must not sink the batch it came in (STYLE.md §17).

The sweep applies a batch in one savepoint (the fast path: a fixed number of queries per
batch). If anything in it raises, that savepoint is rolled back and the batch is applied
again one trade at a time, each in its own savepoint: the good trades commit with the batch,
and each failing one is logged with its id and backed off — the failure is recorded on the
trade (`timer_failures`, `timer_last_error`, `timer_failed_at`) and its `next_timer_at`
pushed to the next attempt, 1 minute doubling up to 1 hour. The next successful step of its
timer clears the record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction

from furima.trades.models import Trade

log = logging.getLogger("furima.trades.timers")

FIRST_RETRY_AFTER = timedelta(minutes=1)
LONGEST_RETRY_AFTER = timedelta(hours=1)
LAST_ERROR_LENGTH = 2000

Outcome = TypeVar("Outcome")


@dataclass(frozen=True, slots=True)
class TimerFailure:
    trade: Trade
    error: BaseException


def retry_after(failures: int) -> timedelta:
    """How long a timer that has now failed `failures` times in a row waits for its next
    attempt."""
    return min(FIRST_RETRY_AFTER * 2 ** max(failures - 1, 0), LONGEST_RETRY_AFTER)


def apply_in_savepoints(
    trades: Sequence[Trade], apply: Callable[[Sequence[Trade]], Outcome]
) -> tuple[list[Outcome], list[TimerFailure]]:
    """`apply(trades)` in one savepoint; if it raises, `apply([trade])` for each trade in its
    own savepoint. Returns the outcomes that committed and the trades that failed.

    Must run inside the sweep's transaction, which holds the trades' row locks (a rolled
    back savepoint keeps them). `apply` may have changed the instances it was given before
    raising, so the one-by-one pass reads the rows afresh."""
    try:
        with transaction.atomic():
            return [apply(trades)], []
    except Exception:
        log.warning("timers: a batch of %d failed; applying its trades one by one", len(trades))
    outcomes, failures = [], []
    for trade in Trade.objects.filter(pk__in=[t.pk for t in trades]).order_by("next_timer_at"):
        try:
            with transaction.atomic():
                outcomes.append(apply([trade]))
        except Exception as error:
            failures.append(TimerFailure(trade, error))
    return outcomes, failures


def timers_back_off(*, failures: Sequence[TimerFailure], now: datetime) -> None:
    """Record each failure on its trade, log it with the trade id, and push the trade's
    timer to its next attempt."""
    for failure in failures:
        trade, error = failure.trade, failure.error
        count = trade.timer_failures + 1
        next_attempt = now + retry_after(count)
        log.error(
            "trade %s: timer %s failed (%d in a row), next attempt at %s: %s: %s",
            trade.pk,
            trade.next_timer_name or "?",
            count,
            next_attempt.isoformat(),
            type(error).__name__,
            error,
            exc_info=error,
        )
        Trade.objects.filter(pk=trade.pk).update(
            timer_failures=count,
            timer_last_error=f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH],
            timer_failed_at=now,
            next_timer_at=next_attempt,
        )


def timers_recovered(*, trades: Sequence[Trade]) -> None:
    """Clear the failure record of trades whose timer has now been applied."""
    recovered = [trade.pk for trade in trades if trade.timer_failures]
    if recovered:
        Trade.objects.filter(pk__in=recovered).update(
            timer_failures=0, timer_last_error="", timer_failed_at=None
        )

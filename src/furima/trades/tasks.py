"""The worker's sweeps for trades. Each call does one batch and says how many items it took,
so `furima worker` can stop between batches and knows when there is nothing left to do."""

from __future__ import annotations

import logging
from collections import Counter

from furima.trades.services import timers_apply_due

log = logging.getLogger(__name__)

totals: Counter[str] = Counter()
"""This process's timers applied and failed so far (the worker's heartbeat records them)."""


def timers_sweep(*, batch_size: int = 500) -> int:
    """Apply one batch of due timers; return how many trades it claimed."""
    batch = timers_apply_due(batch_size=batch_size)
    totals["applied"] += batch.applied
    totals["failed"] += batch.failed
    if batch.claimed:
        log.debug(
            "timers: claimed %d, applied %d, stale %d, rejected %d, failed %d",
            batch.claimed,
            batch.applied,
            batch.stale,
            batch.rejected,
            batch.failed,
        )
    return batch.claimed

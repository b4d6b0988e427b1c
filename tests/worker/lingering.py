"""Settings for a worker process that lingers inside each batch's transaction, so a test can
kill it at a known point: after the batch is written, before it commits.

Each batch appends a line to the file named by FURIMA_TEST_BATCH_MARKER, then sleeps
FURIMA_TEST_LINGER seconds (default 0.5) still inside the transaction."""

import os
import time
from pathlib import Path

from furima.settings import *  # noqa: F403

FURIMA_TRADE_EVENT_SUBSCRIBERS = ["tests.worker.lingering.linger_in_transaction"]


def linger_in_transaction(*, events) -> None:
    with Path(os.environ["FURIMA_TEST_BATCH_MARKER"]).open("a") as marker:
        marker.write(f"{len(events)}\n")
    time.sleep(float(os.environ.get("FURIMA_TEST_LINGER", "0.5")))

"""The one clock. Every "now" in furima comes from here, and only here reads the system time.

Why one injectable clock: the engine's rules are all about time (ship-by, 14 days after
shipping, 13:00 on the third day…), so tests must be able to stand at any instant without
sleeping, and the demo must let a visitor jump two weeks ahead and watch the worker act.

* `SystemClock`: the real time.
* `DemoClock`: the real time plus a forward shift stored in the database (table
  `trades_clockshift`), so the web process that shifts and the worker processes that sweep
  agree on "now". Only ever moves forward. Chosen when `FURIMA_DEMO=1`.
* `FixedClock`: stands still until told to move; for tests and benchmarks.

Use `clock.now()`; swap the clock with `clock.use(FixedClock(...))` (a context manager that
also works as a plain call) — the test suite's `clock` fixture does exactly that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

DEMO_SHIFT_CACHE_SECONDS = 1.0
"""How long a process trusts the shift it last read; another process's jump shows within this."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return timezone.now()


class FixedClock:
    """A clock that only moves when told to. Thread-safe, so racing threads share it."""

    def __init__(self, at: datetime) -> None:
        _require_aware(at)
        self._at = at
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> datetime:
        _require_aware(at)
        with self._lock:
            self._at = at
            return at

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        """Move forward by `delta` or by keyword units (`advance(days=3, hours=2)`)."""
        step = (delta or timedelta()) + timedelta(**units)
        with self._lock:
            self._at += step
            return self._at


class DemoClock:
    """The real time shifted forward by what the demo's visitors asked for."""

    def __init__(self) -> None:
        self._shift = timedelta()
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return timezone.now() + self.shift()

    def shift(self) -> timedelta:
        with self._lock:
            if time.monotonic() - self._read_at > DEMO_SHIFT_CACHE_SECONDS:
                self._shift = _stored_shift()
                self._read_at = time.monotonic()
            return self._shift

    def forget(self) -> None:
        """Read the shift again on the next call (after this process changed it)."""
        with self._lock:
            self._read_at = float("-inf")


def _no_shift() -> timedelta:
    return timedelta()


_stored_shift: Callable[[], timedelta] = _no_shift


def read_demo_shift_with(reader: Callable[[], timedelta]) -> None:
    """Where `DemoClock` reads the stored shift. The table belongs to the trades app, which
    registers its reader when Django starts (`TradesConfig.ready`): the clock sits below
    every app and imports none of them."""
    global _stored_shift
    _stored_shift = reader


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the clock needs a timezone-aware time")


def _default_clock() -> Clock:
    return DemoClock() if getattr(settings, "FURIMA_DEMO", False) else SystemClock()


_current: Clock | None = None


def get() -> Clock:
    global _current
    if _current is None:
        _current = _default_clock()
    return _current


def now() -> datetime:
    """The current instant according to the clock in use."""
    return get().now()


class use(AbstractContextManager):  # a verb on purpose: `with clock.use(FixedClock(...))`
    """Put `clock` in use for this process; as a context manager, restore the old one after."""

    def __init__(self, clock: Clock | None) -> None:
        global _current
        self.previous = _current
        _current = clock

    def __exit__(self, *exc_info: object) -> None:
        global _current
        _current = self.previous

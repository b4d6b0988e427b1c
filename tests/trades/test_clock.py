"""One clock for everything: fixed in tests, real in production, and in demo mode shifted
forward by an amount every process reads from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from furima import clock as clock_module
from furima.clock import DemoClock, FixedClock, SystemClock
from furima.trades.errors import ActionRejected
from furima.trades.services import clock_shift_forward
from tests.factories import make_trade


def test_services_take_the_time_from_the_clock_in_use(db, clock):
    trade = make_trade("awaiting_shipment")

    assert trade.purchased_at == clock.now()


def test_a_fixed_clock_moves_only_when_told():
    fixed = FixedClock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))

    fixed.advance(days=2, hours=1)

    assert fixed.now() == datetime(2026, 1, 7, 13, 0, tzinfo=UTC)


def test_a_clock_refuses_naive_times():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 5, 12, 0))  # noqa: DTZ001 - the point of the test


def test_the_real_clock_is_used_outside_demo_mode(settings):
    settings.FURIMA_DEMO = False
    with clock_module.use(None):
        assert isinstance(clock_module.get(), SystemClock)


def test_the_demo_clock_is_shared_through_the_database(db, settings):
    settings.FURIMA_DEMO = True
    web, worker = DemoClock(), DemoClock()  # as in two processes
    with clock_module.use(web):
        before = worker.now()

        total = clock_shift_forward(by=timedelta(days=14))

        worker.forget()  # the worker's cache would expire within a second anyway
        assert total == timedelta(days=14)
        assert worker.now() - before >= timedelta(days=14)
        assert web.shift() == timedelta(days=14)


def test_the_clock_cannot_be_shifted_outside_demo_mode(db, settings):
    settings.FURIMA_DEMO = False
    with pytest.raises(ActionRejected) as raised:
        clock_shift_forward(by=timedelta(days=1))
    assert raised.value.code == "invalid_input"


def test_the_demo_clock_only_moves_forward(db, settings):
    settings.FURIMA_DEMO = True
    with pytest.raises(ActionRejected):
        clock_shift_forward(by=timedelta(days=-1))

"""Suite-wide test setup.

Tests that touch the database are marked `database` automatically, so `tools/test.sh` can run
exactly those again on PostgreSQL after the full run on SQLite. Every database test ends with
a check of the ledger's invariants.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses_db = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        if uses_db or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)
    _leave_out_postgresql_only(config, items)


def _leave_out_postgresql_only(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgresql_only` tests are deselected, not skipped, on other databases: the SQLite
    run leaves them to the PostgreSQL run (which CI never skips)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql_only")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]


# A Monday morning in Tokyo: far from month ends and Japanese holidays, so day counts in the
# trade tests read plainly.
TEST_START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def clock():
    """A clock standing still at TEST_START, in use by every service for this test; move it
    with `clock.advance(days=3)` or `clock.set(...)` instead of sleeping."""
    from furima.clock import FixedClock, use

    fixed = FixedClock(TEST_START)
    with use(fixed):
        yield fixed


@pytest.fixture(autouse=True)
def _ledger_stays_sound(request: pytest.FixtureRequest):
    """After every database test: every posting balances, the ledger sums to zero, finished
    trades hold no escrow, and each seller's balance is what their released trades earned."""
    uses_db = DATABASE_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker(
        "django_db"
    )
    if not uses_db:
        yield
        return
    # Set the database up from here so it is torn down after this check has run.
    request.getfixturevalue("db")
    yield
    from furima.payouts.ledger_checks import ledger_invariant_violations

    problems = ledger_invariant_violations()
    if problems:
        pytest.fail("ledger invariants broken:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before PostgreSQL drops the test database, end the sessions the live server's request
    threads still hold (they live as long as the session-wide server, which pytest-django
    may stop after the database is torn down); otherwise DROP DATABASE refuses."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored photos go to a fresh directory for this test (returned), not to var/media."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root

"""Suite-wide test setup.

Tests that touch the database are marked `database` automatically, so `tools/test.sh` can run
exactly those again on PostgreSQL after the full run on SQLite.
"""

from __future__ import annotations

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses_db = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        if uses_db or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)

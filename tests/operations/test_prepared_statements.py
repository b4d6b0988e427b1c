"""On PostgreSQL the busiest statements are planned once per connection, not on every page:
the trade page's read of the trade with its listing, parties and address took PostgreSQL
longer to plan than to run (settings.py, FURIMA_PREPARED_STATEMENTS).

PostgreSQL only (`postgresql_only`: prepared statements are a PostgreSQL server feature)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from tests.clients import signed_in
from tests.factories import make_trade

pytestmark = [pytest.mark.postgresql_only, pytest.mark.usefixtures("clock")]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_the_trade_page_reuses_the_plans_of_its_statements(db):
    trade = make_trade("shipped")
    client = signed_in(trade.buyer)
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    before = prepared_statements()

    for _ in range(threshold + 1):
        assert client.get(f"/trades/{trade.pk}/").status_code == 200

    new = [statement for statement in prepared_statements() if statement not in before]
    trade_read = [s for s in new if 'FROM "trades_trade" INNER JOIN "market_listing"' in s]
    assert trade_read, new
    assert any('FROM "django_session"' in s for s in new), new
    # Parameters travel apart from the text, so one plan serves every trade.
    assert '"trades_trade"."id" = $1' in trade_read[0], trade_read[0]


def test_a_statement_run_fewer_times_than_the_threshold_is_not_prepared(db):
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    marker = "SELECT 1 AS furima_prepared_statement_probe WHERE %s > 0"

    with connection.cursor() as cursor:
        for _ in range(threshold - 1):
            cursor.execute(marker, [1])
    assert not any("furima_prepared_statement_probe" in s for s in prepared_statements())

    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(marker, [1])
    assert any("furima_prepared_statement_probe" in s for s in prepared_statements())

"""The unread badge in every signed-in page's header, counted by one hand-written statement.

Why not the ORM: the badge is on every signed-in page, and the same count built with
querysets (a read-mark subquery, a capped notice-count subquery and an `Exists` per trade
step, nested in one query) cost about 4 ms of CPU per page for Django to compile, against
a few tenths of a millisecond to run: it was the largest single cost of the trade page.
The statement is plain SQL that SQLite and PostgreSQL both run; the table and column names
come from the models, so a renamed field fails here loudly rather than miscounting.

What it counts is exactly what the inbox (`selectors.inbox_page`) marks unread in its
recent window: the newest `INBOX_WINDOW` trade steps that told the user's side, newer than
the user's read mark and not marked read one by one; plus up to `INBOX_WINDOW` other in-app
notices, unread and newer than the mark. `tests/notify/test_inbox.py` holds the two to the
same answer.
"""

from __future__ import annotations

import json
from functools import cache

from django.db import connection

from furima.notify.models import Channel, InboxEventRead, Notification, NotificationSettings
from furima.trades.models import Trade, TradeEvent
from furima.trades.selectors import STEPS_READ_PER_LINE, tells

INBOX_WINDOW = 50


@cache
def _statement() -> str:
    """Built once per process: the names only change with a migration."""
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def column(model, field: str) -> str:
        return q(model._meta.get_field(field).column)

    settings, notice, seen = NotificationSettings, Notification, InboxEventRead
    event, trade = TradeEvent, Trade
    mark = "(SELECT at FROM mark)"
    # One row for the notices, NULL where a step's `notify` list would be; then the steps,
    # newest first, with two 0/1 flags: newer than the mark, marked read one by one.
    return f"""
        WITH mark AS (
            SELECT {column(settings, "inbox_read_at")} AS at FROM {table(settings)}
            WHERE {column(settings, "user")} = %s
        )
        SELECT NULL, NULL, COUNT(*), 0, NULL, NULL FROM (
            SELECT 1 FROM {table(notice)} n
            WHERE n.{column(notice, "recipient")} = %s
              AND n.{column(notice, "channel")} = %s
              AND n.{column(notice, "event")} IS NULL
              AND n.{column(notice, "read_at")} IS NULL
              AND ({mark} IS NULL OR n.{column(notice, "created_at")} > {mark})
            LIMIT {INBOX_WINDOW}
        ) notices
        UNION ALL
        SELECT * FROM (
            SELECT e.{column(event, "notify")}, t.{column(trade, "buyer")},
                CASE WHEN {mark} IS NULL OR e.{column(event, "at")} > {mark}
                    THEN 1 ELSE 0 END,
                CASE WHEN EXISTS (
                    SELECT 1 FROM {table(seen)} r
                    WHERE r.{column(seen, "user")} = %s AND r.{column(seen, "event")} = e.id
                ) THEN 1 ELSE 0 END,
                e.{column(event, "at")}, e.{column(event, "seq")}
            FROM {table(event)} e
            JOIN {table(trade)} t ON t.id = e.{column(event, "trade")}
            WHERE t.{column(trade, "buyer")} = %s OR t.{column(trade, "seller")} = %s
            ORDER BY e.{column(event, "at")} DESC, e.{column(event, "seq")} DESC
            LIMIT {INBOX_WINDOW * STEPS_READ_PER_LINE}
        ) steps
        ORDER BY 5 DESC, 6 DESC
    """


def inbox_unread_count(*, user) -> int:
    """How many inbox lines arrived since the user last marked them read (see the module)."""
    uid = user.pk
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [uid, uid, Channel.IN_APP.value, uid, uid, uid])
        rows = cursor.fetchall()
    notices, steps = 0, 0
    told = 0  # steps in the window: only the newest INBOX_WINDOW that told the user count
    for notify, buyer_id, after_mark, marked, _at, _seq in rows:
        if notify is None:
            notices = after_mark
            continue
        if isinstance(notify, str):  # SQLite hands JSON back as text, PostgreSQL decoded
            notify = json.loads(notify)
        if told == INBOX_WINDOW or not tells(user, buyer_id=buyer_id, notify=notify):
            continue
        told += 1
        steps += after_mark and not marked
    return steps + notices

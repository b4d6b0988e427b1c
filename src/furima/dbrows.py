"""Plain multi-row INSERTs for the worker's hot path.

Django's `bulk_create` builds a model instance per row and prepares every value through the
field machinery (on PostgreSQL it also packs columns into arrays); for the ledger rows a
batch of timers writes, that was most of the worker's time. Here rows are plain tuples of
already-prepared values (ints, strings, aware datetimes), sent as multi-row INSERTs that
return the new primary keys in row order (PostgreSQL and SQLite both have RETURNING).
Datetimes still go through the backend's own adapter: SQLite keeps them as text in UTC, and
a row written with its "+09:00" offset would sort and compare wrongly against the rows
Django writes (a sale and a payout at the same instant came out of order). Each
statement carries at most PARAMS_PER_STATEMENT values: psycopg caches the parsed form of a
statement only up to 50 parameters, and parsing a longer one cost more than the extra round
trips; one statement per row would cost the server more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

PARAMS_PER_STATEMENT = 50  # psycopg's MAX_CACHED_STATEMENT_PARAMS


def insert_rows(model, columns: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """INSERT `rows` (tuples in `columns` order) into `model`'s table; returns the new ids."""
    if not rows:
        return []
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    pk = quote(model._meta.pk.column)
    per_statement = max(1, PARAMS_PER_STATEMENT // len(columns))
    adapt = connection.ops.adapt_datetimefield_value
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([one_row] * len(chunk))
            params = [
                adapt(value) if isinstance(value, datetime) else value
                for row in chunk
                for value in row
            ]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {pk}", params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids

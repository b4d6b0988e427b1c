"""Rows without the ORM's per-call overhead, where it was most of the cost: plain multi-row
INSERTs for the worker's hot path (`insert_rows`), and reads the ORM compiles once
(`CompiledRead`).

`insert_rows`:

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

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import RawQuerySet

M = TypeVar("M", bound=Model)

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


class CompiledRead(Generic[M]):
    """A read the ORM compiles to SQL once per process; each call runs that SQL through
    Django's public `raw()` with the call's values, and gets model instances as usual.

    Why: compiling a queryset is most of what a small read costs. The trade page's
    inquiries card cost 1.74 M instructions, of which running its SQL was 0.16 M; compiled
    once, 0.38 M. `build(**values)` returns the queryset for those values. It is called
    once, with large numbers standing in for the values, and each stand-in must come out
    as a parameter of the statement: a value the ORM folds into the SQL text (a slice
    bound) or transforms would not be replaced, so that is refused at once (ValueError).
    Only whole numbers (keys). The query's shape may depend on which values are given
    (each set of names is compiled apart), never on the values themselves.
    """

    # The n-th value's stand-in is this minus n: within every integer column's range (the
    # ORM refuses an out-of-range value before it compiles), and no constant of a query.
    _STAND_IN = 1_987_654_321

    def __init__(self, build: Callable[..., QuerySet[M]]):
        self._build = build
        self._compiled: dict[tuple[str, str, tuple[str, ...]], tuple] = {}

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: int) -> RawQuerySet[M]:
        names = tuple(sorted(values))
        key = (using, connections[using].vendor, names)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(names, using)
        manager, sql, slots = compiled
        params = [value if name is None else kind(values[name]) for name, kind, value in slots]
        return manager.raw(sql, params, using=using)

    def _compile(self, names: tuple[str, ...], using: str) -> tuple:
        stand_ins = {self._STAND_IN - n: name for n, name in enumerate(names)}
        try:
            queryset = self._build(**{name: value for value, name in stand_ins.items()})
            sql, params = queryset.query.get_compiler(using).as_sql()
        except Exception as error:  # e.g. EmptyResultSet: the ORM answers without SQL
            raise ValueError(f"CompiledRead: no statement for {list(names)}: {error!r}") from None
        # Each parameter: the value's name and the type the backend gave the stand-in (on
        # PostgreSQL psycopg's Int4 for an integer column: the server is told its type), or
        # a constant of the query, kept as it is.
        slots = [
            (stand_ins[int(p)], type(p), None)
            if isinstance(p, int) and int(p) in stand_ins
            else (None, None, p)
            for p in params
        ]
        missing = set(names) - {name for name, _, _ in slots}
        if missing:
            raise ValueError(f"CompiledRead: {sorted(missing)} did not become parameters")
        return queryset.model._default_manager.db_manager(using), sql, slots

"""Persist what the engine decided: everything an `Accepted` says, for one trade or a batch.

The same code writes a user's action, a purchase and the worker's batch of due timers, so
there is one way a decision reaches the database: the trade row (snapshot fields, revision,
next timer), its event, the message or rating it created, the ledger postings, and whatever
the event subscribers (the notification outbox) add — all in the caller's transaction, with
a fixed number of queries per batch rather than per trade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from furima.accounts.models import User
from furima.dbrows import insert_rows
from furima.ledger.services import PostingToRecord, postings_record
from furima.process import Accepted, Action, Policy, TradeSnapshot, deadlines
from furima.trades.models import Message, Rating, Role, Trade, TradeEvent
from furima.trades.snapshots import SNAPSHOT_COLUMNS, copy_onto

_event_trade = TradeEvent._meta.get_field("trade")
"""Used to hand each new event its (already loaded) trade without a query."""

BOOKKEEPING_COLUMNS = ("revision", "next_timer_at", "next_timer_name", "updated_at")


@dataclass(frozen=True, slots=True)
class Step:
    """One accepted decision about one locked (or brand-new) trade."""

    trade: Trade
    before: TradeSnapshot
    decision: Accepted
    policy: Policy
    user: User | None = None  # the person who acted; None for the engine and carriers
    due_at: datetime | None = None  # a timer's step: when it was due (applied: event.at)


def set_next_timer(trade: Trade, snapshot: TradeSnapshot, policy: Policy) -> None:
    timer = deadlines(snapshot, policy).next_timer
    trade.next_timer_at = timer.at if timer else None
    trade.next_timer_name = timer.name if timer else ""


def record_decisions(steps: Sequence[Step]) -> list[TradeEvent]:
    """Write every step; return the events in the order of `steps`. Needs a transaction
    holding each existing trade's row lock."""
    if not steps:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_decisions() must run inside the service's transaction")
    to_update, changed, seqs = _update_trades(steps)
    events = [
        TradeEvent(
            trade_id=step.trade.pk,
            seq=seq,
            at=step.decision.event.at,
            due_at=step.due_at,
            actor=step.decision.event.actor.value,
            action=step.decision.event.action.value,
            user_id=step.user.pk if step.user is not None else None,
            data=step.decision.event.data,
            notify=list(step.decision.notify),
        )
        for step, seq in zip(steps, seqs, strict=True)
    ]
    _insert_events(events)
    for step, event in zip(steps, events, strict=True):
        _event_trade.set_cached_value(event, step.trade)
    _record_messages(steps, events)
    _record_ratings(steps, events)
    postings_record(
        items=[
            PostingToRecord(trade=step.trade, event=event, posting=posting)
            for step, event in zip(steps, events, strict=True)
            for posting in step.decision.postings
        ]
    )
    _save_trades(to_update, changed)
    for subscriber in _subscribers():
        subscriber(events=events)
    return events


def record_note(
    trade: Trade, *, at, actor: str, action: str, user, data: dict, notify: Sequence[str]
) -> TradeEvent:
    """Append a step the engine has no say in (a message from the support staff) to the
    locked trade's log: the next `seq`, the revision bumped, the subscribers told. The trade's
    process state does not change, so neither does its snapshot or next timer."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_note() must run inside the service's transaction")
    trade.revision += 1
    trade.updated_at = at
    Trade.objects.filter(pk=trade.pk).update(revision=trade.revision, updated_at=at)
    event = TradeEvent.objects.create(
        trade=trade,
        seq=trade.revision,
        at=at,
        actor=actor,
        action=action,
        user=user,
        data=data,
        notify=list(notify),
    )
    for subscriber in _subscribers():
        subscriber(events=[event])
    return event


_EVENT_COLUMNS = ("trade", "seq", "at", "due_at", "actor", "action", "user", "data", "notify")
_JSON_FIELDS = (TradeEvent._meta.get_field("data"), TradeEvent._meta.get_field("notify"))


def _insert_events(events: Sequence[TradeEvent]) -> None:
    """One INSERT for the batch's events (the append-only log), ids set on the instances."""
    connection = transaction.get_connection()
    data_field, notify_field = _JSON_FIELDS
    rows = [
        (
            e.trade_id,
            e.seq,
            e.at,
            e.due_at,
            e.actor,
            e.action,
            e.user_id,
            data_field.get_db_prep_save(e.data, connection),
            notify_field.get_db_prep_save(e.notify, connection),
        )
        for e in events
    ]
    for event, pk in zip(events, insert_rows(TradeEvent, _EVENT_COLUMNS, rows), strict=True):
        event.pk = pk
        event._state.adding = False


def _update_trades(steps: Sequence[Step]) -> tuple[list[Trade], set[str], list[int]]:
    """Apply each decision to its row in memory and insert the new rows (a purchase);
    return the rows still to be updated, the columns that changed and each step's event
    number (a trade may take several steps in one batch: the worker catching up)."""
    changed: set[str] = set(BOOKKEEPING_COLUMNS)
    to_update: list[Trade] = []
    seqs = []
    for step in steps:
        trade = step.trade
        old = {name: getattr(trade, name) for name in SNAPSHOT_COLUMNS}
        copy_onto(trade, step.decision.snapshot)
        changed.update(name for name in SNAPSHOT_COLUMNS if getattr(trade, name) != old[name])
        trade.revision += 1
        seqs.append(trade.revision)
        trade.updated_at = step.decision.event.at
        set_next_timer(trade, step.decision.snapshot, step.policy)
        if trade._state.adding:
            trade.save(force_insert=True)
        elif not to_update or to_update[-1] is not trade:
            to_update.append(trade)
    return to_update, changed, seqs


def _save_trades(trades: Sequence[Trade], changed: set[str]) -> None:
    """One parametrised UPDATE per row, sent with `executemany` (pipelined by psycopg).
    Django's `bulk_update` builds a CASE expression per column and row, and costs several
    times more than the rest of the batch together."""
    if len(trades) == 1:
        trades[0].save(update_fields=sorted(changed))
    elif trades:
        rows_update(Trade, trades, sorted(changed))


def rows_update(model, rows: Sequence, names: Sequence[str]) -> None:
    """UPDATE `names` of every row (by primary key), in one round of statements.

    On PostgreSQL: one statement for the whole batch, each column sent as one array and
    joined back by `unnest` (the statement text never changes, so psycopg parses it once).
    Elsewhere: one parametrised UPDATE per row with `executemany`."""
    connection = transaction.get_connection()
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    table = quote(model._meta.db_table)
    values = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [*fields, pk]
            arrays = ", ".join(f"%s::{_array_type(f, connection)}" for f in columns)
            aliases = ", ".join(f"c{i}" for i in range(len(columns)))
            assignments = ", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields))
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({aliases})"
                f" WHERE t.{quote(pk.column)} = v.c{len(fields)}",
                [list(column) for column in zip(*values, strict=True)],
            )
            return
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", values
        )


def _array_type(field, connection) -> str:
    """The SQL array type of a column: `varchar(24)` → `varchar(24)[]`."""
    base = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    base = {"serial": "integer", "bigserial": "bigint"}.get(base, base)
    return f"{base}[]"


def _sender_pk(step: Step) -> int:
    """Who wrote a message: a party, so the step has a user."""
    assert step.user is not None
    return step.user.pk


def _record_messages(steps: Sequence[Step], events: Sequence[TradeEvent]) -> None:
    messages = [
        Message(
            trade_id=step.trade.pk,
            event_id=event.pk,
            sender_id=_sender_pk(step),
            role=event.actor,
            text=step.decision.event.data["text"],
            at=event.at,
        )
        for step, event in zip(steps, events, strict=True)
        if step.decision.event.action is Action.MESSAGE
    ]
    if messages:
        Message.objects.bulk_create(messages)


def _record_ratings(steps: Sequence[Step], events: Sequence[TradeEvent]) -> None:
    rows = []
    for step, event in zip(steps, events, strict=True):
        after = step.decision.snapshot
        for role, before_given, given, ratee_id in (
            (Role.BUYER, step.before.buyer_rating, after.buyer_rating, step.trade.seller_id),
            (Role.SELLER, step.before.seller_rating, after.seller_rating, step.trade.buyer_id),
        ):
            if given is not None and before_given is None:
                rows.append(
                    (
                        step.trade.pk,
                        event.pk,
                        role.value,
                        ratee_id,
                        given.rating.value,
                        given.comment,
                        given.by.value,
                        given.at,
                    )
                )
    insert_rows(Rating, _RATING_COLUMNS, rows)


_RATING_COLUMNS = ("trade", "event", "role", "ratee", "rating", "comment", "given_by", "at")


def _subscribers():
    return [import_string(path) for path in getattr(settings, "FURIMA_TRADE_EVENT_SUBSCRIBERS", ())]

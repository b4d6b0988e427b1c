"""Writes to trades. One call = one transaction: lock the trade row, rebuild the snapshot,
let the engine decide, persist everything the decision says, commit.

Authorisation lives here, so every caller (web, API, CLI, worker) gets the same answer: only
the trade's buyer acts as `buyer` and only its seller as `seller`; only staff act as
`operator`, and never on their own trades; `system` and `carrier` are the platform itself
(`trade_act_as_platform`), never a signed-in user.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from furima import clock
from furima.idempotency import idempotency_key_clean, request_fingerprint
from furima.market.tracking import tracking_number_check
from furima.process import (
    Action,
    Actor,
    Command,
    Policy,
    Rejected,
    State,
    decide,
    default_registry,
)
from furima.process.timers import fire_due_timers
from furima.trades.backoff import apply_in_savepoints, timers_back_off, timers_recovered
from furima.trades.errors import (
    ActionRejected,
    Conflict,
    ForbiddenActor,
    NotFound,
    Unauthenticated,
)
from furima.trades.idempotency import idempotent_earlier, idempotent_record
from furima.trades.models import ClockShift, Trade, TradeEvent, WorkerHeartbeat
from furima.trades.persist import (
    Step,
    record_decisions,
    record_note,
    rows_update,
    set_next_timer,
)
from furima.trades.snapshots import needs_ratings, ratings_by_trade, snapshot_of

log = logging.getLogger(__name__)

PLATFORM_ACTORS = frozenset({Actor.SYSTEM, Actor.CARRIER, Actor.OPERATOR})
"""Who the platform itself may act as: its timers, the carriers' delivery confirmations, and
the operator's automation (a policy's automatic proxy rating)."""


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What the caller renders next: the trade as the step left it (read once, under the
    lock, with its listing and parties), who the user acted as, and the step's event."""

    trade: Trade
    actor: Actor
    event: TradeEvent
    replayed: bool = False  # an earlier request with the same idempotency key did this


def policy_of(trade: Trade) -> Policy:
    """The policy the trade is pinned to (never the newest one: rules do not change under a
    running trade)."""
    return default_registry().get(trade.policy_id, trade.policy_version)


def trade_act(
    *,
    trade_id: int,
    user,
    action: Action | str,
    actor: Actor | str | None = None,
    rating: str | None = None,
    comment: str = "",
    text: str = "",
    reason: str = "",
    tracking_number: str = "",
    refund: int = 0,
    idempotency_key: str | None = None,
) -> ActionResult:
    """`user` takes `action` on the trade as `actor` (default: their side of the trade;
    for staff who are neither party, the operator).

    Raises `NotFound`, `Unauthenticated`, `ForbiddenActor`, `Conflict` (an idempotency key
    reused for a different request) or `ActionRejected` (the engine's code); each means
    nothing was written. With an `idempotency_key`, repeating the same request returns the
    first result (`replayed=True`) instead of acting twice.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in to act on a trade")
    command = _command(
        actor=actor,
        action=action,
        rating=rating,
        comment=comment,
        text=text,
        reason=reason,
        tracking_number=tracking_number,
        refund=refund,
    )
    return _act(trade_id, user, command, idempotency_key_clean(idempotency_key))


def trade_act_as_platform(
    *,
    trade_id: int,
    actor: Actor | str,
    action: Action | str,
    reason: str = "",
    tracking_number: str = "",
    at: datetime | None = None,
) -> ActionResult:
    """The platform acts: a carrier's delivery confirmation, a timer applied by hand, the
    operator's automation. Callers must have authenticated the source themselves. `at`
    (default: now) is when it happened, for a source that reports it: a carrier's scan."""
    command = _command(actor=actor, action=action, reason=reason, tracking_number=tracking_number)
    if command.actor not in PLATFORM_ACTORS:
        raise ForbiddenActor(f"the platform does not act as {command.actor}")
    return _act(trade_id, None, command, None, at=at)


def _command(*, actor, action, **fields) -> Command:
    try:
        action = Action(action)
        actor = Actor(actor) if actor is not None else None
    except ValueError as error:
        raise ActionRejected(str(error), code="invalid_input") from None
    if fields.get("rating") is not None and not isinstance(fields["rating"], str):
        raise ActionRejected("rating must be a string such as 'good'", code="invalid_rating")
    for name in ("comment", "text", "reason", "tracking_number"):
        if name in fields and not isinstance(fields[name], str):
            raise ActionRejected(f"{name} must be text", code="invalid_input")
    if "refund" in fields and type(fields["refund"]) is not int:
        raise ActionRejected("refund must be whole yen", code="invalid_input")
    return Command(actor=actor, action=action, **fields)


def _act(
    trade_id: int,
    user,
    command: Command,
    idempotency_key: str | None,
    *,
    at: datetime | None = None,
) -> ActionResult:
    try:
        with transaction.atomic():
            trade = _lock(trade_id)
            command = _authorise(trade, user, command)
            command = _with_checked_tracking_number(trade, command)
            fingerprint = request_fingerprint("action", trade=trade.pk, **_fields(command))
            if idempotency_key is not None:
                earlier = idempotent_earlier(
                    user=user, key=idempotency_key, fingerprint=fingerprint
                )
                if earlier is not None:
                    return ActionResult(
                        trade=trade, actor=command.actor, event=earlier.event, replayed=True
                    )
            policy = policy_of(trade)
            before = snapshot_of(trade)
            decision = decide(before, command, at or clock.now(), policy)
            if isinstance(decision, Rejected):
                raise ActionRejected.from_decision(decision)
            [event] = record_decisions([Step(trade, before, decision, policy, user)])
            if idempotency_key is not None:
                idempotent_record(
                    user=user,
                    key=idempotency_key,
                    fingerprint=fingerprint,
                    trade=trade,
                    event=event,
                )
    except IntegrityError:
        if idempotency_key is None:
            raise
        # The same key, sent at the same moment for another trade, committed first.
        raise Conflict("this idempotency key was already used for another request") from None
    return ActionResult(trade=trade, actor=command.actor, event=event)


def _lock(trade_id: int) -> Trade:
    """The trade row, locked, with what every caller shows next (listing, parties, the
    shipping address) joined into the same read."""
    try:
        return (
            Trade.objects.select_for_update(of=("self",))
            .select_related("listing", "buyer", "seller", "ship_to")
            .get(pk=trade_id)
        )
    except (Trade.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"there is no trade {trade_id}") from None


def _authorise(trade: Trade, user, command: Command) -> Command:
    """The command with its actor settled, if `user` may act as that actor on this trade."""
    if user is None:
        return command
    role = trade.role_of(user)
    if role is None and not user.is_staff:
        # A stranger cannot read the trade (`trade_get`), so acting on it must not reveal
        # that it exists either: the same 404, not a 403.
        raise NotFound(f"there is no trade {trade.pk}")
    actor = command.actor
    if actor is None:
        actor = Actor(role.value) if role is not None else Actor.OPERATOR
        return Command(**{**_fields(command), "actor": actor})
    if actor in (Actor.BUYER, Actor.SELLER):
        if role is None or role.value != actor.value:
            raise ForbiddenActor(f"you are not the {actor} of trade {trade.pk}")
    elif actor is Actor.OPERATOR:
        if not user.is_staff:
            raise ForbiddenActor("only support staff act as the operator")
        if role is not None:
            raise ForbiddenActor("staff cannot act as the operator on their own trade")
    else:
        raise ForbiddenActor(f"only the platform acts as {actor}")
    return command


def _with_checked_tracking_number(trade: Trade, command: Command) -> Command:
    """The shipping notice's tracking number in its normal form, checked against the
    trade's shipping method (required, optional or none; the carrier's form). Only where the
    notice can be sent: otherwise the engine's own refusal (wrong state) is the answer."""
    if command.action is not Action.SHIP or trade.state != State.AWAITING_SHIPMENT.value:
        return command
    number = tracking_number_check(trade.shipping, command.tracking_number)
    return Command(**{**_fields(command), "tracking_number": number})


def _fields(command: Command) -> dict:
    return {name: getattr(command, name) for name in Command.__dataclass_fields__}


STAFF_MESSAGE = "staff_message"
"""The event of a message from the support staff (事務局) to one or both parties."""
STAFF_MESSAGE_RECIPIENTS = {"buyer": ("buyer",), "seller": ("seller",), "both": ("buyer", "seller")}


def trade_staff_message(*, trade_id: int, user, to: str, text: str) -> TradeEvent:
    """Staff write to the buyer, the seller or both in the trade (shown in the trade screen
    as from 事務局, mailed like any step). In the trade's log with the staff member's name;
    the process itself does not move. Same authorisation as acting as the operator."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in to act on a trade")
    if to not in STAFF_MESSAGE_RECIPIENTS:
        raise ActionRejected("write to the buyer, the seller or both", code="invalid_input")
    if not isinstance(text, str) or not text.strip():
        raise ActionRejected("the message is empty", code="invalid_input")
    with transaction.atomic():
        trade = _lock(trade_id)
        _authorise(trade, user, Command(actor=Actor.OPERATOR, action=Action.MESSAGE))
        return record_note(
            trade,
            at=clock.now(),
            actor=Actor.OPERATOR.value,
            action=STAFF_MESSAGE,
            user=user,
            data={"to": to, "text": text.strip(), "staff": str(user)},
            notify=STAFF_MESSAGE_RECIPIENTS[to],
        )


# ------------------------------------------------------------------------- timers


@dataclass(frozen=True, slots=True)
class TimerBatch:
    """What one batch of the sweep did."""

    claimed: int = 0
    applied: int = 0
    stale: int = 0  # the stored due time was out of date; recomputed, nothing applied
    rejected: int = 0  # the engine refused a due timer (a bug: logged, retried later)
    skipped: int = 0  # of `applied`: reminders overtaken by a later due timer, not sent
    failed: int = 0  # the step raised: logged, recorded on the trade, backed off

    def __add__(self, other: TimerBatch) -> TimerBatch:
        return TimerBatch(*(getattr(self, name) + getattr(other, name) for name in self.__slots__))


RETRY_REJECTED_TIMER_AFTER = timedelta(hours=1)


def timers_apply_due(*, batch_size: int = 100, now: datetime | None = None) -> TimerBatch:
    """Apply the due timers of up to `batch_size` trades, in one transaction.

    The due rows are claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL), so workers running
    side by side take disjoint batches and never wait on a trade a user is acting on; on
    SQLite the transaction's write lock does the same job. Each claimed trade's timer is
    recomputed from its snapshot and decided like any action, so a trade that moved on since
    its due time was stored is a no-op. A trade whose step raises is backed off without
    sinking the others (`backoff.apply_in_savepoints`). If the process dies mid-batch
    nothing of the batch is committed and the next sweep takes the same trades again.
    """
    with transaction.atomic():
        _relax_durability()
        now = now or clock.now()
        due = list(
            Trade.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(next_timer_at__isnull=False, next_timer_at__lte=now)
            .order_by("next_timer_at")[:batch_size]
        )
        if not due:
            return TimerBatch()
        outcomes, failures = apply_in_savepoints(due, lambda trades: _apply_timers(trades, now))
        timers_back_off(failures=failures, now=now)
    return sum(outcomes, TimerBatch(claimed=len(due), failed=len(failures)))


def _apply_timers(due: Sequence[Trade], now: datetime) -> TimerBatch:
    """Apply the due timers of these claimed trades and write the steps in one go."""
    rated = ratings_by_trade(t.pk for t in due if needs_ratings(t))
    steps: list[Step] = []
    postponed: list[Trade] = []
    stale = rejected = 0
    for trade in due:
        taken, retry = _due_timer_steps(trade, rated.get(trade.pk, []), now)
        steps.extend(taken)
        if retry is not None:
            rejected += 1
            trade.next_timer_at = retry
            postponed.append(trade)
        elif not taken:
            stale += 1
            postponed.append(trade)
    record_decisions(steps)
    timers_recovered(trades=list({id(step.trade): step.trade for step in steps}.values()))
    if postponed:
        rows_update(Trade, postponed, ["next_timer_at", "next_timer_name"])
    skipped = sum(1 for step in steps if step.decision.event.data.get("skipped"))
    return TimerBatch(applied=len(steps), stale=stale, rejected=rejected, skipped=skipped)


def _due_timer_steps(trade: Trade, ratings, now: datetime) -> tuple[list[Step], datetime | None]:
    """Every timer of one claimed trade that is due by `now`, applied now (each event keeps
    its due time), through the one timer loop the replayer and the simulator use — so a
    reminder overtaken by a later due timer is skipped, not sent. Returns the steps and, if
    the engine refused a due timer, when to retry it. With no steps and no retry, the stored
    due time was stale: the row's next timer is set from the snapshot."""
    policy = policy_of(trade)
    before = snapshot_of(trade, ratings)
    steps: list[Step] = []
    for step in fire_due_timers(before, policy, until=now, clock=now):
        decision = step.decision
        if isinstance(decision, Rejected):
            log.error(
                "trade %s: due timer %s was rejected (%s: %s); retrying later",
                trade.pk,
                step.timer.name,
                decision.code,
                decision.detail,
            )
            retry = now + RETRY_REJECTED_TIMER_AFTER
            if decision.allowed_from is not None and decision.allowed_from > now:
                retry = decision.allowed_from
            return steps, retry  # the steps before it still count
        steps.append(Step(trade, before, decision, policy, due_at=step.due_at))
        before = decision.snapshot
    if not steps:
        set_next_timer(trade, before, policy)
    return steps, None


def _relax_durability() -> None:
    """On PostgreSQL, do not wait for this transaction's WAL to reach the disk.

    Safe for timers, and only for them: if the database server crashes, what it loses is
    the last fraction of a second of such transactions, each lost whole, and their timers are
    still due, so the next sweep applies them again. Nothing is duplicated, and the ledger
    stays consistent (a later synchronous commit flushes all WAL before it). Users' actions
    keep full durability. FURIMA_WORKER_SYNCHRONOUS_COMMIT=1 turns this off.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql" and not settings.FURIMA_WORKER_SYNCHRONOUS_COMMIT:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# -------------------------------------------------------------------------- clock


def clock_shift_forward(*, by: timedelta) -> timedelta:
    """Demo mode only: move every process's clock forward by `by`; returns the total shift.

    Forward only: going back would make the engine see time run backwards on trades that
    already moved on."""
    if not settings.FURIMA_DEMO:
        raise ActionRejected("the clock can only be shifted in demo mode", code="invalid_input")
    if by <= timedelta():
        raise ActionRejected("the clock only moves forward", code="invalid_input")
    with transaction.atomic():
        shift, _ = ClockShift.objects.select_for_update().get_or_create(pk=ClockShift.SINGLETON)
        shift.shift += by
        shift.save(update_fields=["shift"])
    current = clock.get()
    if isinstance(current, clock.DemoClock):
        current.forget()
    return shift.shift


# ------------------------------------------------------------------------- worker


HEARTBEATS_KEPT_FOR = timedelta(days=1)


def worker_heartbeat_record(
    *, name: str, started_at: datetime, applied: int, failed: int, stopping: bool = False
) -> None:
    """The worker `name` is alive (or, with `stopping`, stopped cleanly) and has applied and
    failed so many timers since it started. Heartbeats of workers gone for a day are
    dropped when a worker starts."""
    now = clock.now()
    with transaction.atomic():
        if applied == failed == 0 and not stopping:  # starting
            WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEATS_KEPT_FOR).delete()
        WorkerHeartbeat.objects.update_or_create(
            name=name,
            defaults={
                "started_at": started_at,
                "seen_at": now,
                "stopped_at": now if stopping else None,
                "timers_applied": applied,
                "timers_failed": failed,
            },
        )

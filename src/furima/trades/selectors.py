"""Reads about trades: what a user may see, what happens next, and the trade's story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Min, Q, QuerySet, Value

from furima import clock
from furima.dbrows import CompiledRead
from furima.process import Actor, Deadlines, Policy, TradeSnapshot, deadlines
from furima.process.options import ActionOption, action_options
from furima.trades.errors import NotFound
from furima.trades.models import (
    ClockShift,
    Message,
    Rating,
    Role,
    Trade,
    TradeEvent,
    WorkerHeartbeat,
)
from furima.trades.services import STAFF_MESSAGE, policy_of
from furima.trades.snapshots import needs_ratings, snapshot_of
from furima.trades.staff import STAFF_ONLY_EVENTS

if TYPE_CHECKING:  # django-stubs' helper (a development dependency)
    from django_stubs_ext import WithAnnotations


def trades_for_user(
    *, user, role: Role | str | None = None, with_ratings: bool = False
) -> QuerySet[Trade]:
    """The user's trades, newest first: as buyer, as seller, or both. `with_ratings` reads
    the ratings of a whole page in one more query, for lists that show each trade's
    deadlines or resource (the engine's snapshot needs them), instead of one per trade."""
    if role == Role.BUYER:
        where = Q(buyer=user)
    elif role == Role.SELLER:
        where = Q(seller=user)
    else:
        where = Q(buyer=user) | Q(seller=user)
    trades = Trade.objects.filter(where).select_related("listing", "buyer", "seller", "ship_to")
    return trades.prefetch_related("ratings") if with_ratings else trades


def trade_get(*, trade_id: int, user) -> Trade:
    """The trade, if `user` may see it (a party, or staff); otherwise `NotFound`, so a
    stranger cannot even learn that the trade exists."""
    try:
        trade = Trade.objects.select_related("listing", "buyer", "seller", "ship_to").get(
            pk=trade_id
        )
    except (Trade.DoesNotExist, ValueError, TypeError):
        trade = None
    if trade is None or not (getattr(user, "is_staff", False) or trade.role_of(user)):
        raise NotFound(f"there is no trade {trade_id}")
    return trade


def trade_deadlines(*, trade: Trade) -> Deadlines:
    """Every named instant that applies now (`.as_dict()`), and the next timer."""
    return deadlines(snapshot_of(trade), policy_of(trade))


def _events_of_trade(*, trade_id: int) -> QuerySet[TradeEvent]:
    return TradeEvent.objects.filter(trade_id=trade_id).order_by("seq")


def trade_events(*, trade: Trade) -> QuerySet[TradeEvent]:
    return _events_of_trade(trade_id=trade.pk)


_whole_log = CompiledRead(_events_of_trade)


def trade_log(*, trade: Trade) -> list[TradeEvent]:
    """Every step of the trade, oldest first (`trade_events`, read whole): for the trade
    screen, which shows all of it on every view, so compiled once (`dbrows.CompiledRead`)."""
    return list(_whole_log(trade_id=trade.pk))


def trade_events_for(*, trade: Trade, user) -> QuerySet[TradeEvent]:
    """The trade's log as `user` may read it: staff everything; a party neither the desk's
    own notes (`staff.STAFF_ONLY_EVENTS`) nor support's messages to the other side. The
    same rule as the trade screen's timeline (`presenters.event_visible_to`), as a query so
    the API pages it."""
    events = trade_events(trade=trade)
    role = trade.role_of(user)
    if role is None:
        return events  # staff (`trade_get` let nobody else through)
    other = Role.SELLER if role == Role.BUYER else Role.BUYER
    return events.exclude(action__in=STAFF_ONLY_EVENTS).exclude(
        action=STAFF_MESSAGE, data__to=other.value
    )


def trade_messages(*, trade: Trade) -> QuerySet[Message]:
    return Message.objects.filter(trade=trade).order_by("at", "id")


def trade_ratings(*, trade: Trade) -> dict[str, Rating]:
    """The ratings by side: "buyer" (the receipt evaluation) and "seller". No query for a
    trade whose state cannot have any yet."""
    if not needs_ratings(trade):
        return {}
    return {rating.role: rating for rating in trade.ratings.all()}  # prefetched, if it was


def trades_with_failing_timers() -> QuerySet[Trade]:
    """Trades whose due timer raised and is being retried with backoff (`backoff.py`): most
    failures first. For the staff desk and `furima worker --status`."""
    return Trade.objects.filter(timer_failures__gt=0).order_by("-timer_failures", "id")


@dataclass(frozen=True, slots=True)
class TimerBacklog:
    due: int  # timers due now (including backed-off ones whose next attempt has come)
    oldest_due_at: datetime | None  # the lag behind the clock: now - oldest_due_at
    failing: int  # trades whose timer is backing off


def timer_backlog() -> TimerBacklog:
    """How far the worker is behind: for `furima worker --status`, health and metrics."""
    now = clock.now()
    due = Trade.objects.filter(next_timer_at__isnull=False, next_timer_at__lte=now)
    return TimerBacklog(
        due=due.count(),
        oldest_due_at=due.aggregate(oldest=Min("next_timer_at"))["oldest"],
        failing=trades_with_failing_timers().count(),
    )


def _events_of_users_trades(user) -> QuerySet[TradeEvent]:
    return TradeEvent.objects.filter(Q(trade__buyer=user) | Q(trade__seller=user)).order_by(
        "-at", "-seq"
    )


def tells(user, *, buyer_id: int, notify) -> bool:
    """Whether a step that notified `notify` (["buyer", "seller"]) told `user`'s side."""
    return ("buyer" if buyer_id == user.pk else "seller") in notify


STEPS_READ_PER_LINE = 4
"""Steps read per inbox line wanted: some steps told only the other side (filtered in
Python), so the window reads a few times more rows than it shows."""


class Seen(TypedDict):
    """What notifications_for_user annotates each step with."""

    seen: bool


def notifications_for_user(
    *, user, limit: int = 20, before=None, seen=None
) -> list[WithAnnotations[TradeEvent, Seen]]:
    """The in-app inbox: recent steps of the user's trades that told the user's side, newest
    first. Each accepted step records which parties it notifies; the inbox reads those rows.
    (Filtered in Python: SQLite has no JSON `contains`, and the window is small.) `before`:
    only steps at or before this time (the inbox's next page). `seen`: an expression on the
    step (whether the user marked its line read), read into `event.seen`."""
    recent = _events_of_users_trades(user).annotate(seen=seen or Value(False))
    if before is not None:
        recent = recent.filter(at__lte=before)
    recent = recent.select_related("trade__listing", "trade__buyer", "trade__seller")
    recent = recent[: limit * STEPS_READ_PER_LINE]
    mine = [e for e in recent if tells(user, buyer_id=e.trade.buyer_id, notify=e.notify)]
    return mine[:limit]


@dataclass(frozen=True)
class TradeOutlook:
    """A trade as one viewer sees it now: their side, the engine's view of the trade, what
    happens next and what they may do. Shared by the trade screen and the API resource."""

    actor: Actor
    ratings: dict[str, Rating]
    snapshot: TradeSnapshot
    policy: Policy
    deadlines: Deadlines
    options: list[ActionOption]


def trade_outlook(*, trade: Trade, viewer, actor: Actor | None = None) -> TradeOutlook:
    """Reads the ratings once (the snapshot needs them too); a viewer who is neither party
    (staff) sees the trade as the operator. `actor`: the side the caller already knows the
    viewer is on (the one a service call just acted as)."""
    if actor is None:
        role = trade.role_of(viewer)
        actor = Actor(role.value) if role is not None else Actor.OPERATOR
    ratings = trade_ratings(trade=trade)
    snapshot = snapshot_of(trade, ratings.values())
    policy = policy_of(trade)
    return TradeOutlook(
        actor=actor,
        ratings=ratings,
        snapshot=snapshot,
        policy=policy,
        deadlines=deadlines(snapshot, policy),
        options=action_options(snapshot, actor, clock.now(), policy),
    )


WORKER_FRESH_FOR = timedelta(seconds=60)
"""A worker not heard from for this long is presumed dead (it writes every few seconds)."""


@dataclass(frozen=True, slots=True)
class WorkerSeen:
    name: str
    started_at: datetime
    seen_at: datetime
    stopped: bool
    fresh: bool  # running and heard from within WORKER_FRESH_FOR
    timers_applied: int
    timers_failed: int


def workers_seen() -> list[WorkerSeen]:
    """Every worker that has run lately, most recently heard from first."""
    now = clock.now()
    return [
        WorkerSeen(
            name=row.name,
            started_at=row.started_at,
            seen_at=row.seen_at,
            stopped=row.stopped_at is not None,
            fresh=row.stopped_at is None and now - row.seen_at <= WORKER_FRESH_FOR,
            timers_applied=row.timers_applied,
            timers_failed=row.timers_failed,
        )
        for row in WorkerHeartbeat.objects.all()
    ]


def clock_shift_stored() -> timedelta:
    """How far the demo's clock has been moved forward (`clock.DemoClock` reads it)."""
    row = ClockShift.objects.filter(pk=ClockShift.SINGLETON).first()
    return row.shift if row else timedelta()


@dataclass(frozen=True, slots=True)
class RatingCounts:
    """良い / 普通 / 悪い: how many ratings of each kind a user received."""

    good: int = 0
    normal: int = 0
    bad: int = 0

    @property
    def total(self) -> int:
        return self.good + self.normal + self.bad


def rating_counts(*, user) -> RatingCounts:
    """Counted from the ratings themselves (indexed by receiver and rating), so no counter
    row has to be locked when a trade is rated."""
    found = Rating.objects.filter(ratee=user).aggregate(
        good=Count("pk", filter=Q(rating="good")),
        normal=Count("pk", filter=Q(rating="normal")),
        bad=Count("pk", filter=Q(rating="bad")),
    )
    return RatingCounts(**found)

"""Reads about trades: what a user may see, what happens next, and the trade's story."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from furima import clock
from furima.process import Actor, Deadlines, Policy, TradeSnapshot, deadlines
from furima.process.options import ActionOption, action_options
from furima.trades.errors import NotFound
from furima.trades.models import Message, Rating, Role, Trade, TradeEvent
from furima.trades.services import policy_of
from furima.trades.snapshots import needs_ratings, snapshot_of


def trades_for_user(*, user, role: Role | str | None = None) -> QuerySet[Trade]:
    """The user's trades, newest first: as buyer, as seller, or both."""
    if role == Role.BUYER:
        where = Q(buyer=user)
    elif role == Role.SELLER:
        where = Q(seller=user)
    else:
        where = Q(buyer=user) | Q(seller=user)
    return Trade.objects.filter(where).select_related("listing", "buyer", "seller")


def trade_get(*, trade_id: int, user) -> Trade:
    """The trade, if `user` may see it (a party, or staff); otherwise `NotFound`, so a
    stranger cannot even learn that the trade exists."""
    try:
        trade = Trade.objects.select_related("listing", "buyer", "seller").get(pk=trade_id)
    except (Trade.DoesNotExist, ValueError, TypeError):
        trade = None
    if trade is None or not (getattr(user, "is_staff", False) or trade.role_of(user)):
        raise NotFound(f"there is no trade {trade_id}")
    return trade


def trade_deadlines(*, trade: Trade) -> Deadlines:
    """Every named instant that applies now (`.as_dict()`), and the next timer."""
    return deadlines(snapshot_of(trade), policy_of(trade))


def trade_events(*, trade: Trade) -> QuerySet[TradeEvent]:
    return TradeEvent.objects.filter(trade=trade).order_by("seq")


def trade_messages(*, trade: Trade) -> QuerySet[Message]:
    return Message.objects.filter(trade=trade).order_by("at", "id")


def trade_ratings(*, trade: Trade) -> dict[str, Rating]:
    """The ratings by side: "buyer" (the receipt evaluation) and "seller". No query for a
    trade whose state cannot have any yet."""
    if not needs_ratings(trade):
        return {}
    return {rating.role: rating for rating in Rating.objects.filter(trade=trade)}


def trades_with_open_operator_request() -> QuerySet[Trade]:
    """The support desk's queue: oldest request first."""
    return Trade.objects.filter(operator_request_status="open").order_by(
        "operator_request_opened_at", "id"
    )


def notifications_for_user(*, user, limit: int = 20) -> list[TradeEvent]:
    """The in-app inbox: recent steps of the user's trades that told the user's side, newest
    first. Each accepted step records which parties it notifies; the inbox reads those rows.
    (Filtered in Python: SQLite has no JSON `contains`, and the window is small.)"""
    recent = (
        TradeEvent.objects.filter(Q(trade__buyer=user) | Q(trade__seller=user))
        .select_related("trade__listing", "trade__buyer", "trade__seller")
        .order_by("-at", "-seq")[: limit * 4]
    )
    mine = []
    for event in recent:
        side = "buyer" if event.trade.buyer_id == user.pk else "seller"
        if side in event.notify:
            mine.append(event)
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


def trade_outlook(*, trade: Trade, viewer) -> TradeOutlook:
    """Reads the ratings once (the snapshot needs them too); a viewer who is neither party
    (staff) sees the trade as the operator."""
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

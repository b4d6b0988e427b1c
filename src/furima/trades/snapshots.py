"""Between rows and the engine: build a `TradeSnapshot` from a trade row (and its ratings),
and copy a new snapshot back onto the row.

The snapshot's scalar fields live on the trade row under the same names, so a locked read of
one row is nearly the whole snapshot. Only the ratings live in their own table; they exist
only once the buyer's side has rated, so trades still waiting for that need no second query.
"""

from __future__ import annotations

from collections.abc import Iterable

from furima.process import (
    Actor,
    OperatorRequestStatus,
    State,
    TradeSnapshot,
)
from furima.process.model import CancelRequest, GivenRating, OperatorRequest, ProblemReport
from furima.process.model import Rating as EngineRating
from furima.trades.models import Rating, Role, Trade

PLAIN_FIELDS = (
    "purchased_at",
    "shipped_at",
    "tracking_number",
    "delivered_at",
    "last_buyer_message_at",
    "last_seller_reminder_at",
    "escrow_released",
    "completed_at",
    "cancelled_at",
    "problem_resolved_at",
    "refunded_after_payout",
)
"""Snapshot fields stored under the same name and in the same form on the trade row."""

RATED_STATES = frozenset({State.AWAITING_SELLER_RATING.value, State.COMPLETED.value})
"""The only states in which a trade can have ratings (the buyer's side rates in `shipped`
and moves the trade on; nothing returns to earlier states or reaches `cancelled` from
here)."""


def needs_ratings(trade: Trade) -> bool:
    return trade.state in RATED_STATES


def ratings_by_trade(trade_ids: Iterable[int]) -> dict[int, list[Rating]]:
    """The ratings of several trades in one query, for the worker's batches."""
    found: dict[int, list[Rating]] = {}
    for rating in Rating.objects.filter(trade_id__in=list(trade_ids)):
        found.setdefault(rating.trade_id, []).append(rating)
    return found


def snapshot_of(trade: Trade, ratings: Iterable[Rating] | None = None) -> TradeSnapshot:
    """The engine's view of `trade`. Pass its ratings when already loaded; otherwise they are
    read if the trade's state can have any."""
    if ratings is None:
        ratings = list(trade.ratings.all()) if needs_ratings(trade) else []
    given = {rating.role: _given(rating) for rating in ratings}
    values = {name: getattr(trade, name) for name in PLAIN_FIELDS}
    return TradeSnapshot(
        policy_id=trade.policy_id,
        policy_version=trade.policy_version,
        price=trade.price,
        ship_within=trade.ship_within,
        state=State(trade.state),
        reminders_sent=frozenset(trade.reminders_sent),
        buyer_rating=given.get(Role.BUYER.value),
        seller_rating=given.get(Role.SELLER.value),
        operator_request=_operator_request(trade),
        problem_report=_problem_report(trade),
        cancel_request=_cancel_request(trade),
        **values,
    )


def copy_onto(trade: Trade, snapshot: TradeSnapshot) -> None:
    """Write the snapshot's fields onto the row (ratings are written as their own rows)."""
    assert snapshot.state is not None  # a trade row exists only from the purchase on
    trade.state = snapshot.state.value
    for name in PLAIN_FIELDS:
        setattr(trade, name, getattr(snapshot, name))
    trade.reminders_sent = sorted(snapshot.reminders_sent)
    request = snapshot.operator_request
    trade.operator_request_status = request.status.value if request else ""
    trade.operator_request_opened_at = request.opened_at if request else None
    trade.operator_request_closed_at = request.closed_at if request else None
    problem = snapshot.problem_report
    trade.problem_reported_at = problem.reported_at if problem else None
    trade.problem_text = problem.text if problem else ""
    trade.problem_closed_at = problem.closed_at if problem else None
    asked = snapshot.cancel_request
    trade.cancel_requested_by = asked.by.value if asked else ""
    trade.cancel_requested_at = asked.requested_at if asked else None
    trade.cancel_request_reason = asked.reason if asked else ""


SNAPSHOT_COLUMNS = (
    "state",
    *PLAIN_FIELDS,
    "reminders_sent",
    "operator_request_status",
    "operator_request_opened_at",
    "operator_request_closed_at",
    "problem_reported_at",
    "problem_text",
    "problem_closed_at",
    "cancel_requested_by",
    "cancel_requested_at",
    "cancel_request_reason",
)
"""The trade columns `copy_onto` writes."""


def _given(rating: Rating) -> GivenRating:
    return GivenRating(
        rating=EngineRating(rating.rating),
        comment=rating.comment,
        by=Actor(rating.given_by),
        at=rating.at,
    )


def _operator_request(trade: Trade) -> OperatorRequest | None:
    if not trade.operator_request_status:
        return None
    opened_at = trade.operator_request_opened_at
    assert opened_at is not None  # set with the status, in one write (copy_onto)
    return OperatorRequest(
        status=OperatorRequestStatus(trade.operator_request_status),
        opened_at=opened_at,
        closed_at=trade.operator_request_closed_at,
    )


def _problem_report(trade: Trade) -> ProblemReport | None:
    if trade.problem_reported_at is None:
        return None
    return ProblemReport(
        reported_at=trade.problem_reported_at,
        text=trade.problem_text,
        closed_at=trade.problem_closed_at,
    )


def _cancel_request(trade: Trade) -> CancelRequest | None:
    if not trade.cancel_requested_by:
        return None
    requested_at = trade.cancel_requested_at
    assert requested_at is not None  # set with the requester, in one write (copy_onto)
    return CancelRequest(
        by=Actor(trade.cancel_requested_by),
        requested_at=requested_at,
        reason=trade.cancel_request_reason,
    )

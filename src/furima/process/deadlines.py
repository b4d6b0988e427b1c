"""What happens next: every named instant that applies to a trade, and the next timer.

The same computation answers the seller's "when can I ask the operator?", sets the trade
row's indexed `next_timer_at` for the worker, and drives the replayer and the simulator.
An instant is None when it does not apply (wrong state, anchor missing, policy silent).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from furima.process.model import (
    AWAITING_SELLER_RATING,
    DERIVED_CACHE,
    SHIP_WITHIN_CHOICES,
    SHIPPED,
    TradeSnapshot,
)
from furima.process.policy import Policy
from furima.process.schedule import (
    INSTANT_NAMES,
    Anchors,
    Deadlines,
    Timer,
    anchors_of,
    schedule_of,
)

__all__ = [
    "INSTANT_NAMES",
    "Anchors",
    "Deadlines",
    "Timer",
    "anchors_of",
    "auto_complete_at",
    "claim_window_closes_at",
    "deadlines",
    "due_reminder",
    "known_deadlines",
    "operator_proxy_allowed_from",
    "operator_request_allowed_from",
    "seller_rating_closes_at",
]

# The rules themselves live in schedule.py, compiled once per policy; the helpers here are
# what the handlers ask, each answered from the snapshot's memoised deadlines when there are
# some and by the same compiled rule otherwise.


def auto_complete_at(
    snapshot: TradeSnapshot, policy: Policy, anchors: Anchors | None = None
) -> datetime | None:
    """When the engine does the receipt evaluation for a silent buyer, if it will."""
    known = known_deadlines(snapshot, policy)
    if known is not None:
        return known.auto_complete_at
    if policy.auto_evaluation is None or snapshot.state is not SHIPPED:
        return None
    anchors = anchors if anchors is not None else anchors_of(snapshot)
    days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
    return schedule_of(policy).auto_complete(anchors, snapshot.problem_open, days)


def operator_request_allowed_from(
    snapshot: TradeSnapshot, policy: Policy, anchors: Anchors | None = None
) -> datetime | None:
    """From when the seller may ask the operator; None if they cannot (any more)."""
    known = known_deadlines(snapshot, policy)
    if known is not None:
        return known.operator_request_allowed_from
    if snapshot.state is not SHIPPED:
        return None
    anchors = anchors if anchors is not None else anchors_of(snapshot)
    days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
    return schedule_of(policy).operator_request_from(snapshot, anchors, days)


def operator_proxy_allowed_from(
    snapshot: TradeSnapshot, policy: Policy, anchors: Anchors | None = None
) -> datetime | None:
    """From when the operator may rate for the buyer; None if there is no case to act on."""
    if snapshot.state is not SHIPPED:
        return None
    if not (snapshot.operator_request_open or snapshot.problem_open):
        return None
    anchors = anchors if anchors is not None else anchors_of(snapshot)
    days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
    return schedule_of(policy).proxy_from_open_case(anchors, days)


def due_reminder(
    snapshot: TradeSnapshot,
    policy: Policy,
    anchors: Mapping[str, datetime | None],
    auto_at: datetime | None,
    sent: frozenset[int] | None = None,
) -> tuple[int, datetime] | None:
    """The earliest automatic reminder not yet sent (`sent`, default: the snapshot's), as
    (index in the policy, due time); `auto_at` is the automatic evaluation's due time."""
    report = snapshot.problem_report
    if snapshot.state is not SHIPPED or (report is not None and report.closed_at is None):
        return None  # (the second: snapshot.problem_open, read without a property call)
    sent = snapshot.reminders_sent if sent is None else sent
    days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
    return schedule_of(policy).due_reminder(sent, anchors, auto_at, days)


def seller_rating_closes_at(snapshot: TradeSnapshot, policy: Policy) -> datetime | None:
    """When the seller's rating window closes (the trade then completes without it); None
    while a claim is open (it pauses the window)."""
    known = known_deadlines(snapshot, policy)
    if known is not None:
        return known.seller_rating_closes_at
    if snapshot.state is not AWAITING_SELLER_RATING:
        return None
    return schedule_of(policy).seller_rating_closes(snapshot)


def claim_window_closes_at(snapshot: TradeSnapshot, policy: Policy) -> datetime | None:
    """Until when the buyer may still report a problem after the receipt evaluation (a
    claim); None when the policy has no claims window or the evaluation has not happened."""
    return schedule_of(policy).claim_window_closes(snapshot)


def known_deadlines(snapshot: TradeSnapshot, policy: Policy) -> Deadlines | None:
    """The deadlines already computed for this very snapshot, if any (no work otherwise)."""
    cached: tuple[Policy, Deadlines] | None = snapshot.__dict__.get(DERIVED_CACHE)
    if cached is not None and cached[0] is policy:
        return cached[1]
    return None


def deadlines(snapshot: TradeSnapshot, policy: Policy) -> Deadlines:
    """Every instant that applies to the trade in its current state, and the next timer.

    Memoised on the (immutable) snapshot: the replayer, the engine and the worker ask the
    same snapshot more than once."""
    cached: tuple[Policy, Deadlines] | None = snapshot.__dict__.get(DERIVED_CACHE)
    if cached is not None and cached[0] is policy:
        return cached[1]
    found = (policy.schedule or schedule_of(policy)).compute(snapshot)
    snapshot.__dict__[DERIVED_CACHE] = (policy, found)
    return found

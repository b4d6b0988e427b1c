"""Steps that wait for a moment: reminders to the buyer (the engine's automatic ones and the
seller's, at most once a day) and completion once the seller's rating window has closed."""

from __future__ import annotations

from datetime import datetime

from furima.process.commands import Command
from furima.process.deadlines import (
    anchors_of,
    auto_complete_at,
    deadlines,
    due_reminder,
    seller_rating_closes_at,
)
from furima.process.decision import (
    PARTIES,
    SYSTEM,
    Decision,
    Rejected,
    accept,
    too_early,
    wrong_state,
)
from furima.process.handlers.transitions import completed
from furima.process.model import AWAITING_SELLER_RATING, SHIPPED, ErrorCode, TradeSnapshot
from furima.process.policy import Policy


def remind(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state is not SHIPPED:
        return wrong_state(snapshot, command)
    if command.actor is SYSTEM:
        return _automatic_reminder(snapshot, command, now, policy)
    last = snapshot.last_seller_reminder_at
    rule = policy.seller_reminder_allowed_from
    if last is not None and rule is not None:
        allowed_from = rule.at({"last_seller_reminder_at": last}, policy.zone)
        if allowed_from is not None and now < allowed_from:
            return Rejected(
                ErrorCode.TOO_SOON,
                f"the buyer was reminded at {last.isoformat()}; "
                f"again from {allowed_from.isoformat()}",
                allowed_from,
            )
    updated = snapshot.replace(last_seller_reminder_at=now)
    return accept(updated, command, now, ("buyer",))


def _automatic_reminder(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    anchors = anchors_of(snapshot)
    auto_at = auto_complete_at(snapshot, policy, anchors)
    reminder = due_reminder(snapshot, policy, anchors, auto_at)
    if reminder is None:
        return wrong_state(snapshot, command)
    index, due = reminder
    if now < due:
        return too_early("the next automatic reminder", due)
    # Two rules may fall due at once (day 3 can be the day before auto-evaluation):
    # the buyer gets one reminder for all of them.
    sent = set(snapshot.reminders_sent)
    while reminder is not None and reminder[1] <= now:
        sent.add(reminder[0])
        reminder = due_reminder(snapshot, policy, anchors, auto_at, frozenset(sent))
    updated = snapshot.replace(reminders_sent=frozenset(sent))
    if command.overtaken_by:
        return _stale_reminder(snapshot, updated, command, now, policy, index)
    return accept(updated, command, now, ("buyer",), reminder=index)


_OVERTAKING = frozenset({"proxy_rate_at", "auto_complete_at"})


def _stale_reminder(
    snapshot: TradeSnapshot,
    updated: TradeSnapshot,
    command: Command,
    now: datetime,
    policy: Policy,
    index: int,
) -> Decision:
    """A reminder overtaken by a later timer that is already due (see process/timers.py):
    recorded as sent, so it never comes later, but skipped — nobody is told."""
    name = command.overtaken_by
    later = getattr(deadlines(snapshot, policy), name) if name in _OVERTAKING else None
    if later is None or later > now:
        return Rejected(ErrorCode.INVALID_INPUT, f"the reminder is not overtaken by {name!r}")
    return accept(updated, command, now, (), reminder=index, skipped=True, overtaken_by=name)


def complete(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state is not AWAITING_SELLER_RATING:
        return wrong_state(snapshot, command)
    closes_at = seller_rating_closes_at(snapshot, policy)
    if closes_at is None and snapshot.problem_open:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE, "the seller's rating window is paused by a claim"
        )
    if closes_at is None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "this policy waits for the seller's rating")
    if now < closes_at:
        return too_early("completing without the seller's rating", closes_at)
    updated, postings = completed(snapshot, now, policy)
    return accept(updated, command, now, PARTIES, postings)

"""What happens next: every named instant that applies to a trade, and the next timer.

The same computation answers the seller's "when can I ask the operator?", sets the trade
row's indexed `next_timer_at` for the worker, and drives the replayer and the simulator.
An instant is None when it does not apply (wrong state, anchor missing, policy silent).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from furima.process.model import (
    AWAITING_SELLER_RATING,
    AWAITING_SHIPMENT,
    COMPLETED,
    DERIVED_CACHE,
    SHIP_WITHIN_CHOICES,
    SHIPPED,
    Action,
    Actor,
    TradeSnapshot,
)
from furima.process.policy import Policy
from furima.process.when import TimeRule


class Timer(NamedTuple):
    """A step the engine (or the operator's automation) takes by itself when due.

    (Named tuples, here and for Deadlines: immutable like frozen dataclasses, and about three
    times cheaper to build — the engine builds them on every step.)"""

    name: str
    at: datetime
    actor: Actor
    action: Action


class Deadlines(NamedTuple):
    ship_by: datetime | None = None
    buyer_cancel_allowed_from: datetime | None = None
    auto_cancel_at: datetime | None = None
    operator_request_allowed_from: datetime | None = None
    proxy_rate_at: datetime | None = None
    auto_complete_at: datetime | None = None
    reminder_at: datetime | None = None
    seller_reminder_allowed_from: datetime | None = None
    seller_rating_closes_at: datetime | None = None
    cancel_request_expires_at: datetime | None = None
    claim_window_closes_at: datetime | None = None
    next_timer: Timer | None = None

    def as_dict(self) -> dict[str, datetime | None]:
        """The named instants (without the timer), as the API and CLI show them."""
        return {name: getattr(self, name) for name in _INSTANT_NAMES}

    def __eq__(self, other: object) -> bool:  # never equal to a plain tuple
        return isinstance(other, Deadlines) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:  # defining __eq__ would otherwise unset it
        return tuple.__hash__(self)


Anchors = Mapping[str, datetime | None]
"""The named moments rules refer to (see anchors_of)."""

_INSTANT_NAMES = tuple(n for n in Deadlines._fields if n != "next_timer")

# When two timers are due at the same instant, the one earlier here fires first
# (callers of _next_timer list their candidates in this order).
_TIMER_ORDER = (
    "auto_cancel_at",
    "proxy_rate_at",
    "auto_complete_at",
    "seller_rating_closes_at",
    "cancel_request_expires_at",
    "reminder_at",
)
_TIMER_STEPS = {
    "auto_cancel_at": (Actor.SYSTEM, Action.CANCEL),
    "proxy_rate_at": (Actor.OPERATOR, Action.PROXY_RATE),
    "auto_complete_at": (Actor.SYSTEM, Action.PROXY_RATE),
    "seller_rating_closes_at": (Actor.SYSTEM, Action.COMPLETE),
    "cancel_request_expires_at": (Actor.SYSTEM, Action.DECLINE_CANCEL),
    "reminder_at": (Actor.SYSTEM, Action.REMIND),
}


def anchors_of(snapshot: TradeSnapshot) -> dict[str, datetime | None]:
    """The moments a policy's rules may refer to."""
    request = snapshot.operator_request
    problem = snapshot.problem_report
    buyer_rating = snapshot.buyer_rating
    cancel = snapshot.cancel_request
    return {
        "purchased_at": snapshot.purchased_at,
        "shipped_at": snapshot.shipped_at,
        "delivered_at": snapshot.delivered_at,
        "last_buyer_message_at": snapshot.last_buyer_message_at,
        "operator_request_opened_at": request.opened_at if request else None,
        "problem_reported_at": problem.reported_at if problem else None,
        "problem_resolved_at": snapshot.problem_resolved_at,
        "cancel_requested_at": cancel.requested_at if cancel else None,
        "buyer_rated_at": buyer_rating.at if buyer_rating else None,
        "last_seller_reminder_at": snapshot.last_seller_reminder_at,
    }


# The rule helpers take the policy's zone and the listing's ship-within days rather than the
# policy and the snapshot: they are the inner loop of every deadline computation, and each
# caller reads the two once.


def latest_of(
    rules: tuple[TimeRule, ...], anchors: Anchors, zone: ZoneInfo, days: int
) -> datetime | None:
    """All rules must have passed: the latest instant among those whose anchor exists."""
    found: datetime | None = None
    for rule in rules:
        at = rule.at(anchors, zone, days)
        if at is not None and (found is None or at > found):
            found = at
    return found


def first_of(
    rules: tuple[TimeRule, ...], anchors: Anchors, zone: ZoneInfo, days: int
) -> datetime | None:
    """The first rule whose anchor exists decides."""
    for rule in rules:
        at = rule.at(anchors, zone, days)
        if at is not None:
            return at
    return None


def _at(rule: TimeRule | None, anchors: Anchors, zone: ZoneInfo, days: int) -> datetime | None:
    return None if rule is None else rule.at(anchors, zone, days)


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
    return _auto_complete(policy, snapshot.problem_open, anchors, snapshot.ship_within_days)


def _auto_complete(
    policy: Policy, problem_open: bool, anchors: Anchors, days: int
) -> datetime | None:
    # The rule itself, for a shipped trade (callers check the state).
    auto = policy.auto_evaluation
    if auto is None or (problem_open and auto.pause_while_problem_open):
        return None
    zone = policy.zone
    due = first_of(auto.first_of, anchors, zone, days)
    if due is None:
        return None
    not_before = latest_of(auto.not_before, anchors, zone, days)
    if not_before is not None and not_before > due:
        due = not_before
    rule = auto.at_most
    cap = None if rule is None else rule.at(anchors, zone, days)
    if cap is not None and cap < due:
        due = cap
    # After the cap, on purpose: a resolved problem report gives the buyer a grace whatever
    # the cap says. (A pending cancellation request does not stop the clock: the buyer's
    # protection is the problem report; the evaluation ends the negotiation.)
    rule = auto.after_problem_resolved
    grace = None if rule is None else rule.at(anchors, zone, days)
    if grace is not None and grace > due:
        due = grace
    return due


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
    return _operator_request_from(snapshot, policy, anchors, snapshot.ship_within_days)


def _operator_request_from(
    snapshot: TradeSnapshot, policy: Policy, anchors: Anchors, days: int
) -> datetime | None:
    # The rule itself, for a shipped trade (callers check the state).
    if snapshot.operator_request is not None:
        return None
    if policy.operator_request_only_if_buyer_silent and snapshot.buyer_messaged_since_shipping:
        return None
    return latest_of(policy.operator_request_allowed_from, anchors, policy.zone, days)


def operator_proxy_allowed_from(
    snapshot: TradeSnapshot, policy: Policy, anchors: Anchors | None = None
) -> datetime | None:
    """From when the operator may rate for the buyer; None if there is no case to act on."""
    if snapshot.state is not SHIPPED:
        return None
    if not (snapshot.operator_request_open or snapshot.problem_open):
        return None
    anchors = anchors if anchors is not None else anchors_of(snapshot)
    found = latest_of(
        policy.operator_proxy_allowed_from, anchors, policy.zone, snapshot.ship_within_days
    )
    if found is not None:
        return found
    opened = [
        a
        for a in (anchors["operator_request_opened_at"], anchors["problem_reported_at"])
        if a is not None
    ]
    return min(opened).astimezone(policy.zone)


def due_reminder(
    snapshot: TradeSnapshot,
    policy: Policy,
    anchors: MutableMapping[str, datetime | None],
    auto_at: datetime | None,
    sent: frozenset[int] | None = None,
) -> tuple[int, datetime] | None:
    """The earliest automatic reminder not yet sent (`sent`, default: the snapshot's), as
    (index in the policy, due time). Sets `anchors["auto_complete_at"]`."""
    if snapshot.state is not SHIPPED or snapshot.problem_open:
        return None
    sent = snapshot.reminders_sent if sent is None else sent
    return _due_reminder(policy, sent, anchors, auto_at, snapshot.ship_within_days)


def _due_reminder(
    policy: Policy,
    sent: frozenset[int],
    anchors: MutableMapping[str, datetime | None],
    auto_at: datetime | None,
    days: int,
) -> tuple[int, datetime] | None:
    # The rule itself, for a shipped trade without an open problem report.
    if not policy.automatic_reminders:
        return None
    anchors["auto_complete_at"] = auto_at
    zone = policy.zone
    best: tuple[int, datetime] | None = None
    for index, rule in enumerate(policy.automatic_reminders):
        if index in sent:
            continue
        at = rule.at(anchors, zone, days)
        if at is None or (auto_at is not None and at >= auto_at):
            continue
        if best is None or at < best[1]:
            best = (index, at)
    return best


def seller_rating_closes_at(snapshot: TradeSnapshot, policy: Policy) -> datetime | None:
    """When the seller's rating window closes (the trade then completes without it); None
    while a claim is open (it pauses the window)."""
    known = known_deadlines(snapshot, policy)
    if known is not None:
        return known.seller_rating_closes_at
    if snapshot.state is not AWAITING_SELLER_RATING or snapshot.buyer_rating is None:
        return None
    rule = policy.seller_rating_closes_at
    if rule is None or snapshot.problem_open:
        return None
    rated_at = snapshot.buyer_rating.at
    closes = rule.at({"buyer_rated_at": rated_at}, policy.zone)
    resolved = snapshot.problem_resolved_at
    after_claim = policy.claim_seller_rating_not_before
    if after_claim is not None and resolved is not None and resolved >= rated_at:
        later = after_claim.at({"problem_resolved_at": resolved}, policy.zone)
        if closes is not None and later is not None:  # both anchors are set just above
            closes = max(closes, later)
    return closes


def claim_window_closes_at(snapshot: TradeSnapshot, policy: Policy) -> datetime | None:
    """Until when the buyer may still report a problem after the receipt evaluation (a
    claim); None when the policy has no claims window or the evaluation has not happened."""
    if not policy.claim_window_closes_at or snapshot.buyer_rating is None:
        return None
    if snapshot.state is not AWAITING_SELLER_RATING and snapshot.state is not COMPLETED:
        return None
    anchors = {
        "shipped_at": snapshot.shipped_at,
        "delivered_at": snapshot.delivered_at,
        "buyer_rated_at": snapshot.buyer_rating.at,
    }
    return first_of(policy.claim_window_closes_at, anchors, policy.zone, snapshot.ship_within_days)


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
    found = _compute(snapshot, policy)
    snapshot.__dict__[DERIVED_CACHE] = (policy, found)
    return found


def _compute(snapshot: TradeSnapshot, policy: Policy) -> Deadlines:
    state = snapshot.state
    if state is AWAITING_SHIPMENT:
        anchors = anchors_of(snapshot)
        zone, days = policy.zone, snapshot.ship_within_days
        ship_by = _at(policy.ship_by, anchors, zone, days)
        anchors["ship_by"] = ship_by
        auto_cancel = _at(policy.auto_cancel_at, anchors, zone, days)
        answer_by = _at(policy.cancel_request_expires_at, anchors, zone, days)
        return Deadlines(
            ship_by=ship_by,
            buyer_cancel_allowed_from=_at(policy.buyer_may_cancel_from, anchors, zone, days),
            auto_cancel_at=auto_cancel,
            cancel_request_expires_at=answer_by,
            next_timer=_next_timer(
                (("auto_cancel_at", auto_cancel), ("cancel_request_expires_at", answer_by))
            ),
        )
    if state is SHIPPED:
        # The checks the public functions above make once, then their rules.
        anchors = anchors_of(snapshot)
        days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
        problem_open = snapshot.problem_open
        auto_at = _auto_complete(policy, problem_open, anchors, days)
        reminder_at = None
        if not problem_open:
            reminder = _due_reminder(policy, snapshot.reminders_sent, anchors, auto_at, days)
            if reminder is not None:
                reminder_at = reminder[1]
        proxy_at = None
        automatic = policy.operator_proxy_automatic and snapshot.operator_request_open
        if automatic and not problem_open:
            proxy_at = operator_proxy_allowed_from(snapshot, policy, anchors)
        seller_remind = None
        if snapshot.last_seller_reminder_at is not None:
            seller_remind = _at(policy.seller_reminder_allowed_from, anchors, policy.zone, days)
        answer_by = None
        if snapshot.cancel_request is not None:
            answer_by = _at(policy.cancel_request_expires_at, anchors, policy.zone, days)
        timer = _next_timer(
            (
                ("proxy_rate_at", proxy_at),
                ("auto_complete_at", auto_at),
                ("cancel_request_expires_at", answer_by),
                ("reminder_at", reminder_at),
            )
        )
        return Deadlines(
            operator_request_allowed_from=_operator_request_from(snapshot, policy, anchors, days),
            proxy_rate_at=proxy_at,
            auto_complete_at=auto_at,
            reminder_at=reminder_at,
            seller_reminder_allowed_from=seller_remind,
            cancel_request_expires_at=answer_by,
            next_timer=timer,
        )
    claim_window = claim_window_closes_at(snapshot, policy)
    if state is AWAITING_SELLER_RATING and policy.seller_rating_closes_at is not None:
        closes = seller_rating_closes_at(snapshot, policy)
        return Deadlines(
            seller_rating_closes_at=closes,
            claim_window_closes_at=claim_window,
            next_timer=_next_timer((("seller_rating_closes_at", closes),)),
        )
    if claim_window is not None:
        return Deadlines(claim_window_closes_at=claim_window)
    return _NOTHING


_NOTHING = Deadlines()


def _next_timer(candidates: tuple[tuple[str, datetime | None], ...]) -> Timer | None:
    """The earliest due timer; candidates come in _TIMER_ORDER, so the first wins a tie."""
    best_name: str | None = None
    best_at: datetime | None = None
    for name, at in candidates:
        if at is not None and (best_at is None or at < best_at):
            best_name, best_at = name, at
    if best_name is None or best_at is None:
        return None
    actor, action = _TIMER_STEPS[best_name]
    return Timer(best_name, best_at, actor, action)

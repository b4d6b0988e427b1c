"""A policy's deadline rules, compiled once into one computation per trade state.

The engine computes a trade's deadlines after every accepted step (the simulator: five
million times for a million trades), so how the rules are read matters. Read generically —
a combinator per rule list, a call per rule, the policy's optional sections looked up each
time — one computation cost about 19 Python calls. A `Schedule` reads the policy once, when
first asked: each state's computation walks plain tuples of ``(anchor, rule)`` holding only
the rules that exist, and skips a rule whose anchor has not happened (most of them: the
buyer has not written, nothing was delivered yet) without calling it.

Every rule is still written once: `deadlines.py`'s public helpers (`auto_complete_at`,
`due_reminder`, …) call the same methods as the per-state computation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from furima.process.model import (
    AWAITING_SELLER_RATING,
    AWAITING_SHIPMENT,
    COMPLETED,
    OPEN_REQUEST,
    SHIP_WITHIN_CHOICES,
    SHIPPED,
    Action,
    Actor,
    TradeSnapshot,
)
from furima.process.policy import Policy
from furima.process.when import TimeRule

# Timer and Deadlines are built on every accepted step (the simulator: ten million times),
# so they are slotted dataclasses, the cheapest objects Python 3.11 builds: a third cheaper
# than named tuples, and quicker to read. Hashable and compared by value like the named
# tuples they were; not frozen (a frozen dataclass sets each field through
# object.__setattr__, twice a named tuple's cost): nothing assigns to them once built.


@dataclass(slots=True, unsafe_hash=True)
class Timer:
    """A step the engine (or the operator's automation) takes by itself when due."""

    name: str
    at: datetime
    actor: Actor
    action: Action


@dataclass(slots=True, unsafe_hash=True)
class Deadlines:
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
        return {name: getattr(self, name) for name in INSTANT_NAMES}


INSTANT_NAMES = tuple(f.name for f in fields(Deadlines) if f.name != "next_timer")
NOTHING = Deadlines()

# When two timers are due at the same instant, the one earlier here fires first
# (callers of next_timer list their candidates in this order).
TIMER_ORDER = (
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


def next_timer(candidates: tuple[tuple[str, datetime | None], ...]) -> Timer | None:
    """The earliest due timer; candidates come in TIMER_ORDER, so the first wins a tie."""
    best_name: str | None = None
    best_at: datetime | None = None
    for name, at in candidates:
        if at is not None and (best_at is None or at < best_at):
            best_name, best_at = name, at
    if best_name is None or best_at is None:
        return None
    actor, action = _TIMER_STEPS[best_name]
    return Timer(best_name, best_at, actor, action)


_CLOSES = "seller_rating_closes_at"
SYSTEM, COMPLETE = _TIMER_STEPS[_CLOSES]


Anchors = dict[str, datetime | None]
"""The named moments rules refer to (see anchors_of)."""


def anchors_of(snapshot: TradeSnapshot) -> Anchors:
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


_Rules = tuple[tuple[str, timedelta | None, TimeRule], ...]
"""Rules with their anchor's name and exact offset beside them: ``(anchor, exact, rule)``.
An exact offset (``+ 14d``) is added in place; only the other rules are called."""

AUTO_COMPLETE_AT = "auto_complete_at"
"""The one anchor a reminder may name that is not a moment of the trade but a deadline."""
BUYER_RATED_AT = "buyer_rated_at"
"""The one anchor of a claims window that is not a field of the snapshot (the rating's)."""


def _compiled(rules: tuple[TimeRule, ...]) -> _Rules:
    return tuple((rule.anchor, rule.exact, rule) for rule in rules)


def _at(rule: TimeRule | None, anchors: Anchors, zone: ZoneInfo, days: int) -> datetime | None:
    return None if rule is None else rule.at(anchors, zone, days)


class Schedule:
    """One policy's deadline rules, read once (see `schedule_of`).

    Most anchors are named after a field of the snapshot (`shipped_at`, `delivered_at`, …),
    so the computation for a shipped trade reads them from the snapshot's own instance dict
    (`vars(snapshot)`: no copy, no anchors dict per computation); the few derived ones (the
    open case's opening time, the cancellation request's) are read where they are needed.
    Any mapping with the anchors' names does as well (`anchors_of`)."""

    __slots__ = (
        "auto_cap",
        "auto_first_of",
        "auto_grace",
        "auto_not_before",
        "auto_pauses",
        "claim_window",
        "policy",
        "proxy_automatic",
        "proxy_from",
        "reminders",
        "request_from",
        "request_only_if_silent",
        "zone",
    )

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.zone = policy.zone
        auto = policy.auto_evaluation
        # No automatic evaluation: no `first_of` rule, so `auto_complete` answers None.
        self.auto_first_of = _compiled(auto.first_of) if auto else ()
        self.auto_not_before = _compiled(auto.not_before) if auto else ()
        self.auto_cap = _compiled((auto.at_most,)) if auto and auto.at_most else ()
        grace = auto.after_problem_resolved if auto else None
        self.auto_grace = _compiled((grace,)) if grace else ()
        self.auto_pauses = auto is not None and auto.pause_while_problem_open
        self.reminders = tuple(
            (index, rule.anchor, rule.exact, rule)
            for index, rule in enumerate(policy.automatic_reminders)
        )
        self.request_from = _compiled(policy.operator_request_allowed_from)
        self.request_only_if_silent = policy.operator_request_only_if_buyer_silent
        self.proxy_from = _compiled(policy.operator_proxy_allowed_from)
        self.proxy_automatic = policy.operator_proxy_automatic
        self.claim_window = _compiled(policy.claim_window_closes_at)

    # ------------------------------------------------------------ every state

    def compute(self, snapshot: TradeSnapshot) -> Deadlines:
        """Every instant that applies to the trade in its current state, and the next timer."""
        state = snapshot.state
        if state is SHIPPED:
            return self._shipped(snapshot)
        if state is AWAITING_SHIPMENT:
            return self._awaiting_shipment(snapshot)
        policy = self.policy
        claim_window = self.claim_window_closes(snapshot)
        if state is AWAITING_SELLER_RATING and policy.seller_rating_closes_at is not None:
            closes = self.seller_rating_closes(snapshot)
            timer = None
            if closes is not None:
                timer = Timer(_CLOSES, closes, SYSTEM, COMPLETE)
            # Positional, as below: the hottest constructor call in the engine.
            return Deadlines(
                None,  # ship_by
                None,  # buyer_cancel_allowed_from
                None,  # auto_cancel_at
                None,  # operator_request_allowed_from
                None,  # proxy_rate_at
                None,  # auto_complete_at
                None,  # reminder_at
                None,  # seller_reminder_allowed_from
                closes,  # seller_rating_closes_at
                None,  # cancel_request_expires_at
                claim_window,  # claim_window_closes_at
                timer,
            )
        if claim_window is not None:
            return Deadlines(
                None,  # ship_by
                None,  # buyer_cancel_allowed_from
                None,  # auto_cancel_at
                None,  # operator_request_allowed_from
                None,  # proxy_rate_at
                None,  # auto_complete_at
                None,  # reminder_at
                None,  # seller_reminder_allowed_from
                None,  # seller_rating_closes_at
                None,  # cancel_request_expires_at
                claim_window,  # claim_window_closes_at
                None,  # next_timer
            )
        return NOTHING

    def _awaiting_shipment(self, snapshot: TradeSnapshot) -> Deadlines:
        policy = self.policy
        zone, days = self.zone, SHIP_WITHIN_CHOICES[snapshot.ship_within]
        # The shipping rules may name the purchase and the ship-by instant (policy.py).
        anchors: Anchors = {"purchased_at": snapshot.purchased_at}
        ship_by = anchors["ship_by"] = policy.ship_by.at(anchors, zone, days)
        auto_cancel = _at(policy.auto_cancel_at, anchors, zone, days)
        answer_by = self._answer_by(snapshot, days)
        timer = next_timer(
            (("auto_cancel_at", auto_cancel), ("cancel_request_expires_at", answer_by))
        )
        return Deadlines(
            ship_by,
            _at(policy.buyer_may_cancel_from, anchors, zone, days),  # buyer_cancel_allowed_from
            auto_cancel,  # auto_cancel_at
            None,  # operator_request_allowed_from
            None,  # proxy_rate_at
            None,  # auto_complete_at
            None,  # reminder_at
            None,  # seller_reminder_allowed_from
            None,  # seller_rating_closes_at
            answer_by,  # cancel_request_expires_at
            None,  # claim_window_closes_at
            timer,
        )

    def _shipped(self, snapshot: TradeSnapshot) -> Deadlines:
        fields = vars(snapshot)
        days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
        report = snapshot.problem_report
        problem_open = report is not None and report.closed_at is None
        auto_at = self.auto_complete(fields, problem_open, days)
        reminder_at = None
        if not problem_open and self.reminders:
            reminder = self.due_reminder(snapshot.reminders_sent, fields, auto_at, days)
            if reminder is not None:
                reminder_at = reminder[1]
        proxy_at = None
        if self.proxy_automatic and not problem_open:
            request = snapshot.operator_request
            if request is not None and request.status is OPEN_REQUEST:
                proxy_at = self.proxy_from_open_case(anchors_of(snapshot), days)
        seller_remind = None
        last_reminder = snapshot.last_seller_reminder_at
        rule = self.policy.seller_reminder_allowed_from  # its anchor: the last reminder
        if last_reminder is not None and rule is not None:
            seller_remind = rule.after(last_reminder, self.zone, days)
        answer_by = None if snapshot.cancel_request is None else self._answer_by(snapshot, days)
        # The next timer, as next_timer() chooses it, written out for the hottest state:
        # the earliest; on a tie the one earlier in TIMER_ORDER.
        name, due = "proxy_rate_at", proxy_at
        if auto_at is not None and (due is None or auto_at < due):
            name, due = "auto_complete_at", auto_at
        if answer_by is not None and (due is None or answer_by < due):
            name, due = "cancel_request_expires_at", answer_by
        if reminder_at is not None and (due is None or reminder_at < due):
            name, due = "reminder_at", reminder_at
        timer = None
        if due is not None:
            actor, action = _TIMER_STEPS[name]
            timer = Timer(name, due, actor, action)
        return Deadlines(
            None,  # ship_by
            None,  # buyer_cancel_allowed_from
            None,  # auto_cancel_at
            self.operator_request_from(snapshot, fields, days),
            proxy_at,
            auto_at,
            reminder_at,
            seller_remind,
            None,  # seller_rating_closes_at
            answer_by,
            None,  # claim_window_closes_at
            timer,
        )

    def _answer_by(self, snapshot: TradeSnapshot, days: int) -> datetime | None:
        """When a pending cancellation request lapses unanswered (its anchor: the request)."""
        rule, asked = self.policy.cancel_request_expires_at, snapshot.cancel_request
        if rule is None or asked is None:
            return None
        return rule.after(asked.requested_at, self.zone, days)

    # ------------------------------------------------------------ the rules (shipped)

    def auto_complete(
        self, anchors: Mapping[str, datetime | None], problem_open: bool, days: int
    ) -> datetime | None:
        """When the engine does the receipt evaluation for a silent buyer of a shipped
        trade, if it will."""
        if problem_open and self.auto_pauses:
            return None
        zone = self.zone
        due = None
        for anchor, exact, rule in self.auto_first_of:  # the first rule whose anchor exists
            base = anchors[anchor]
            if base is not None:
                due = base + exact if exact is not None else rule.after(base, zone, days)
                break
        if due is None:
            return None
        for anchor, exact, rule in self.auto_not_before:  # never before any of these
            base = anchors[anchor]
            if base is not None:
                at = base + exact if exact is not None else rule.after(base, zone, days)
                if at > due:
                    due = at
        for anchor, exact, rule in self.auto_cap:  # never after this
            base = anchors[anchor]
            if base is not None:
                at = base + exact if exact is not None else rule.after(base, zone, days)
                if at < due:
                    due = at
        # After the cap, on purpose: a resolved problem report gives the buyer a grace whatever
        # the cap says. (A pending cancellation request does not stop the clock: the buyer's
        # protection is the problem report; the evaluation ends the negotiation.)
        for anchor, exact, rule in self.auto_grace:
            base = anchors[anchor]
            if base is not None:
                at = base + exact if exact is not None else rule.after(base, zone, days)
                if at > due:
                    due = at
        return due

    def due_reminder(
        self,
        sent: frozenset[int],
        anchors: Mapping[str, datetime | None],
        auto_at: datetime | None,
        days: int,
    ) -> tuple[int, datetime] | None:
        """The earliest automatic reminder not yet sent, as (index in the policy, due time),
        for a shipped trade without an open problem report whose automatic evaluation is
        due at `auto_at`."""
        zone = self.zone
        best: tuple[int, datetime] | None = None
        for index, anchor, exact, rule in self.reminders:
            if index in sent:
                continue
            base = auto_at if anchor == AUTO_COMPLETE_AT else anchors[anchor]
            if base is None:
                continue
            at = base + exact if exact is not None else rule.after(base, zone, days)
            if auto_at is not None and at >= auto_at:
                continue
            if best is None or at < best[1]:
                best = (index, at)
        return best

    def operator_request_from(
        self, snapshot: TradeSnapshot, anchors: Mapping[str, datetime | None], days: int
    ) -> datetime | None:
        """From when the seller of a shipped trade may ask the operator (all rules must have
        passed); None if they cannot (any more)."""
        if snapshot.operator_request is not None:
            return None
        if self.request_only_if_silent and snapshot.buyer_messaged_since_shipping:
            return None
        return self._latest(self.request_from, anchors, days)

    def proxy_from_open_case(self, anchors: Anchors, days: int) -> datetime:
        """From when the operator may rate for the buyer of a shipped trade with an open
        operator request or problem report: the rules, else as soon as the case opened."""
        found = self._latest(self.proxy_from, anchors, days)
        if found is not None:
            return found
        opened = [
            a
            for a in (anchors["operator_request_opened_at"], anchors["problem_reported_at"])
            if a is not None
        ]
        return min(opened).astimezone(self.zone)

    def _latest(
        self, rules: _Rules, anchors: Mapping[str, datetime | None], days: int
    ) -> datetime | None:
        """The latest instant among the rules whose anchor exists."""
        zone = self.zone
        found: datetime | None = None
        for anchor, exact, rule in rules:
            base = anchors[anchor]
            if base is not None:
                at = base + exact if exact is not None else rule.after(base, zone, days)
                if found is None or at > found:
                    found = at
        return found

    # ------------------------------------------------------------ after the evaluation

    def seller_rating_closes(self, snapshot: TradeSnapshot) -> datetime | None:
        """When the seller's rating window closes (the trade then completes without it); None
        while a claim is open (it pauses the window)."""
        if snapshot.state is not AWAITING_SELLER_RATING or snapshot.buyer_rating is None:
            return None
        policy = self.policy
        rule = policy.seller_rating_closes_at
        report = snapshot.problem_report
        if rule is None or (report is not None and report.closed_at is None):  # a claim open
            return None
        # The anchors policy.py allows: the buyer's rating, the resolution of a claim.
        rated_at = snapshot.buyer_rating.at
        closes = rule.after(rated_at, self.zone)
        resolved = snapshot.problem_resolved_at
        after_claim = policy.claim_seller_rating_not_before
        if after_claim is not None and resolved is not None and resolved >= rated_at:
            closes = max(closes, after_claim.after(resolved, self.zone))
        return closes

    def claim_window_closes(self, snapshot: TradeSnapshot) -> datetime | None:
        """Until when the buyer may still report a problem after the receipt evaluation (a
        claim); None when the policy has no claims window or the evaluation has not
        happened."""
        rating = snapshot.buyer_rating
        if not self.claim_window or rating is None:
            return None
        state = snapshot.state
        if state is not AWAITING_SELLER_RATING and state is not COMPLETED:
            return None
        fields = vars(snapshot)
        days = SHIP_WITHIN_CHOICES[snapshot.ship_within]
        for anchor, exact, rule in self.claim_window:  # the first rule whose anchor exists
            base = rating.at if anchor == BUYER_RATED_AT else fields[anchor]
            if base is not None:
                return base + exact if exact is not None else rule.after(base, self.zone, days)
        return None


def schedule_of(policy: Policy) -> Schedule:
    """The policy's compiled schedule, built the first time it is asked for."""
    found = policy.schedule
    if found is None:
        found = Schedule(policy)
        object.__setattr__(policy, "schedule", found)
    return found

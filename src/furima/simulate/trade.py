"""One simulated trade: a persona's intentions meet the engine's rules.

The parties' intended actions wait in a small time-ordered queue; the engine's own next
timer (``deadlines(...).next_timer``) competes with them. Whichever is due first happens,
through ``decide`` exactly as in production, and accepted steps may queue reactions (a
shipped parcel arrives, an evaluated trade gets the seller's rating, an operator request is
reviewed). Ordering follows ``furima timeline``: a timer due at or before a party's action
fires first, at its due time (or at the last step's time if that is later), so a recorded
trade replays step for step in ``furima timeline`` (see ``run.trace``).

Parties only try what their screen offers (a buyer does not rate a trade that is already
evaluated), with one deliberate exception: the buyer with a problem tries to report it
whatever the state, because a rejected report is exactly the "waited out" buyer we count.
Under a policy with a claims window (furima@2) a report after the evaluation is a claim:
staff settle it with no refund or a (partial) refund, which comes back from the seller's
sales balance or, where the seller already withdrew the money, from the platform guarantee.
A buyer whose problem is still unnoticed may check the item when the engine's last reminder
("check the item and report a problem now", the day before the automatic evaluation)
arrives, and report it then.

What counts as *payout* is read off the ledger, not assumed per policy: the accepted step
whose postings credit the ``seller`` account. Under ``release_escrow_on = "completion"``
(rakuma-2016, mercari-2016) that is the step that completes the trade (normally the seller's
own rating); under ``"receipt_evaluation"`` (furima) it is the receipt evaluation, whoever
gives it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from furima.process.commands import Command
from furima.process.deadlines import deadlines
from furima.process.engine import Event, decide
from furima.process.ledger import BUYER, PLATFORM_FEES, SELLER
from furima.process.model import (
    AWAITING_SELLER_RATING,
    AWAITING_SHIPMENT,
    CANCELLED,
    COMPLETED,
    SHIPPED,
    Action,
    Actor,
    ErrorCode,
    TradeSnapshot,
)
from furima.process.policy import Policy
from furima.process.timers import next_timer_step
from furima.simulate.persona import Persona
from furima.simulate.summary import TradeResult

MAX_STEPS = 500
ONE_MINUTE = timedelta(minutes=1)

# What the simulated parties type. Short, fixed texts: the engine only checks they exist.
RATING = "good"
MESSAGE_TEXT = "商品について質問があります。"
PROBLEM_TEXT = "届いた商品に問題があります。"
CANCEL_TEXT = "発送されないためキャンセルします。"
REFUND_TEXT = "問題の報告を確認し、返金いたしました。"

# What the parties send, one command per intention (the handler methods below; the queue
# holds the bound method itself, so popping an intention is a call, not a lookup).
_SELLER_SHIPS = Command(Actor.SELLER, Action.SHIP)
_CARRIER_DELIVERS = Command(Actor.CARRIER, Action.DELIVER)
_BUYER_RATES = Command(Actor.BUYER, Action.RATE, rating=RATING)
_BUYER_MESSAGES = Command(Actor.BUYER, Action.MESSAGE, text=MESSAGE_TEXT)
_BUYER_REPORTS = Command(Actor.BUYER, Action.REPORT_PROBLEM, text=PROBLEM_TEXT)
_BUYER_CANCELS = Command(Actor.BUYER, Action.CANCEL, reason=CANCEL_TEXT)
_SUPPORT_CANCELS = Command(Actor.OPERATOR, Action.CANCEL, reason=CANCEL_TEXT)
_SELLER_REMINDS = Command(Actor.SELLER, Action.REMIND)
_SELLER_ASKS = Command(Actor.SELLER, Action.REQUEST_OPERATOR)
_SELLER_RATES = Command(Actor.SELLER, Action.RATE, rating=RATING)
# Members compared on every step, as globals (see the note above SHIPPED in process/model.py).
_BY_OPERATOR, _BY_SELLER = Actor.OPERATOR, Actor.SELLER
_REMIND, _SHIP, _BY_SYSTEM = Action.REMIND, Action.SHIP, Actor.SYSTEM
_COMPLETED_BY = {Actor.BUYER: "buyer", Actor.OPERATOR: "proxy"}  # anyone else: "automatic"
_OPERATOR_RATES = Command(Actor.OPERATOR, Action.PROXY_RATE)
_REFUND = Command(Actor.OPERATOR, Action.CANCEL, reason=REFUND_TEXT)
_PURCHASE = Command(Actor.BUYER, Action.PURCHASE)

Recorder = Callable[[datetime, Command, object, bool], None]
"""Called with every step: its time, command, decision and whether a timer took it."""


def _minutes(delta: timedelta) -> int:
    return delta // ONE_MINUTE


@lru_cache(maxsize=1 << 16)
def _minutes_delta(count: int) -> timedelta:
    """`count` minutes as a timedelta, remembered: a queued intention's delay is one of a
    few thousand whole-minute values, and multiplying a timedelta (to microseconds and back)
    costs twice a cached look-up; the simulator queues five per trade."""
    return timedelta(minutes=count)


@lru_cache(maxsize=1024)
def _new_trade(policy_id: str, version: int, price: int, ship_within: str) -> TradeSnapshot:
    """A trade about to be purchased. Snapshots are immutable, so one per policy, price and
    ship-within choice serves every simulated trade that starts like it (a few dozen)."""
    return TradeSnapshot.new(
        policy_id=policy_id, policy_version=version, price=price, ship_within=ship_within
    )


class TradeRun:
    """Runs one persona's trade under one policy up to the horizon."""

    __slots__ = (
        "clock",
        "horizon",
        "pending",
        "persona",
        "policy",
        "problem_reported",
        "record",
        "reminders_received",
        "reminders_tried",
        "result",
        "seq",
        "snapshot",
    )

    def __init__(
        self, persona: Persona, policy: Policy, horizon: timedelta, record: Recorder | None = None
    ) -> None:
        self.persona = persona
        self.policy = policy
        self.record = record
        self.snapshot = _new_trade(policy.id, policy.version, persona.price, persona.ship_within)
        self.clock = persona.purchased_at
        self.horizon = persona.purchased_at + horizon
        self.pending: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.seq = 0
        self.result = TradeResult("unfinished")
        self.reminders_received = 0
        self.reminders_tried = 0
        self.problem_reported = False

    # ------------------------------------------------------------------ the loop

    def run(self) -> TradeResult:
        persona = self.persona
        self.apply(persona.purchased_at, _PURCHASE)
        if persona.ship_after_purchase is not None:
            self.after(persona.purchased_at, persona.ship_after_purchase, self.ship)
        ship_by = deadlines(self.snapshot, self.policy).ship_by
        if ship_by is not None:
            self.after(ship_by, persona.cancel_after_ship_by, self.buyer_cancels)
        pending, horizon, heappop = self.pending, self.horizon, heapq.heappop
        policy = self.policy
        for _ in range(MAX_STEPS):
            # The engine's timers and the parties' intentions compete: a timer due at or
            # before the next intention fires first (the one timer rule, process/timers.py).
            limit = pending[0][0] if pending and pending[0][0] < horizon else horizon
            step = next_timer_step(self.snapshot, policy, limit, self.clock)
            if step is not None:
                timer, at, command, decision = step
                if not decision.accepted:
                    detail = decision.detail
                    raise RuntimeError(f"timer {timer.name} was due but rejected: {detail}")
                self.took(at, command, decision, True)
            elif pending and pending[0][0] <= horizon:
                at, _, intend = heappop(pending)
                intend(at)
            else:
                return self.finish()
        raise RuntimeError(f"a simulated trade took more than {MAX_STEPS} steps")

    def finish(self) -> TradeResult:
        snapshot, result = self.snapshot, self.result
        if snapshot.state is COMPLETED:
            by = snapshot.buyer_rating.by if snapshot.buyer_rating else Actor.SYSTEM
            result.outcome = _COMPLETED_BY.get(by, "automatic")
        elif snapshot.state is CANCELLED:
            result.outcome = "cancelled"
        return result

    def after(self, anchor: datetime, minutes: int, intend: Callable[[datetime], None]) -> None:
        """Queue an intention `minutes` after `anchor` (never before the current step); the
        sequence number keeps ties in the order they were queued."""
        at = anchor + _minutes_delta(minutes)
        self.seq += 1
        heapq.heappush(self.pending, (at if at > self.clock else self.clock, self.seq, intend))

    def apply(self, at: datetime, command: Command):
        """A party's command, decided now."""
        decision = decide(self.snapshot, command, at, self.policy)
        self.took(at, command, decision, False)
        return decision

    def took(self, at: datetime, command: Command, decision, by_timer: bool) -> None:
        """Record a decided step and, if accepted, move the trade on: what every accepted
        step means for the figures, and who reacts to it."""
        self.clock = at
        if self.record is not None:
            self.record(at, command, decision, by_timer)
        if not decision.accepted:
            return
        before = self.snapshot.state
        snapshot, event, notify, postings = (
            decision.snapshot,
            decision.event,
            decision.notify,
            decision.postings,
        )
        self.snapshot = snapshot
        result = self.result
        if command.actor is _BY_OPERATOR:
            result.operator_touches += 1
        for posting in postings:
            paid = posting.amount_for(SELLER)
            if paid > 0 and snapshot.shipped_at is not None:
                result.payout_minutes = _minutes(at - snapshot.shipped_at)
                if command.actor is _BY_SELLER:
                    result.seller_ratings_needed += 1
            result.fees += posting.amount_for(PLATFORM_FEES)
            if posting.kind == "claim_refund":
                self.refunded(posting.amount_for(BUYER))
        action = command.action
        if action is _REMIND and notify:  # a stale reminder tells nobody
            persona = self.persona
            self.reminders_received += 1
            if self.reminders_received == persona.rates_after_reminder:
                self.after(at, persona.reminder_response, self.buyer_rates)
            if command.actor is _BY_SYSTEM and self.checks_item_now(event):
                self.after(at, persona.reminder_response, self.buyer_reports)
        elif action is _SHIP:
            self.shipped(at)
        elif before is SHIPPED and snapshot.state is AWAITING_SELLER_RATING:
            self.evaluated(at)

    def checks_item_now(self, event: Event) -> bool:
        """The buyer with a problem not noticed yet looks at the item on the last reminder."""
        persona = self.persona
        if self.problem_reported or persona.problem_after_receipt is None:
            return False
        if not persona.checks_on_reminder:
            return False
        rules = self.policy.automatic_reminders
        index = event.data.get("reminder")
        return index is not None and rules[index].anchor == "auto_complete_at"

    def refunded(self, amount: int) -> None:
        """A refund after the payout: the seller's balance pays back this trade's net payout
        unless the seller already withdrew it; the guarantee pays the rest."""
        result, persona = self.result, self.persona
        net = persona.price - persona.price * self.policy.fee_percent // 100
        covered = 0 if persona.withdrawn_before_claim else min(amount, net)
        result.refunded_after_payout += amount
        result.recovered_from_seller += covered
        result.guarantee_paid += amount - covered

    def evaluated(self, at: datetime) -> None:
        """The receipt evaluation is done, by whoever: the seller's turn to rate."""
        if self.persona.seller_rates_after_evaluation is not None:
            self.after(at, self.persona.seller_rates_after_evaluation, self.seller_rates)

    def shipped(self, at: datetime) -> None:
        persona = self.persona
        receipt = persona.transit
        if persona.tracked:
            self.after(at, receipt, self.deliver)
        if persona.rate_after_receipt is not None:
            self.after(at, receipt + persona.rate_after_receipt, self.buyer_rates)
        if persona.problem_after_receipt is not None:
            self.after(at, receipt + persona.problem_after_receipt, self.buyer_reports)
        if persona.message_after_shipping is not None:
            self.after(at, persona.message_after_shipping, self.buyer_messages)
        if persona.first_reminder_after_shipping is not None and persona.max_reminders:
            self.after(at, persona.first_reminder_after_shipping, self.seller_reminds)
        self.plan_request(at)

    def plan_request(self, now: datetime, allowed_from: datetime | None = None) -> None:
        """The seller who asks the operator does so `ask_after_allowed` after it is allowed."""
        if self.persona.ask_after_allowed is None:
            return
        if allowed_from is None:
            allowed_from = deadlines(self.snapshot, self.policy).operator_request_allowed_from
        if allowed_from is not None:
            self.after(max(allowed_from, now), self.persona.ask_after_allowed, self.seller_asks)

    # ------------------------------------------------------------ the parties' intents

    def ship(self, at: datetime) -> None:
        if self.snapshot.state is AWAITING_SHIPMENT:
            self.apply(at, _SELLER_SHIPS)

    def deliver(self, at: datetime) -> None:
        if self.snapshot.state is SHIPPED:
            self.apply(at, _CARRIER_DELIVERS)

    def buyer_rates(self, at: datetime) -> None:
        if self.snapshot.state is SHIPPED:
            self.apply(at, _BUYER_RATES)

    def buyer_messages(self, at: datetime) -> None:
        if self.snapshot.state in (SHIPPED, AWAITING_SELLER_RATING):
            self.apply(at, _BUYER_MESSAGES)

    def buyer_reports(self, at: datetime) -> None:
        if self.problem_reported:
            return  # already reported (on the reminder, before the problem's own moment)
        decision = self.apply(at, _BUYER_REPORTS)
        if decision.accepted:
            self.problem_reported = True
            self.result.problem_reported = True
            if self.snapshot.buyer_rating is not None and self.snapshot.escrow_released:
                self.result.claim_after_payout = True
            self.after(at, self.persona.problem_review_after, self.operator_reviews_problem)
        elif self.snapshot.buyer_rating is not None:
            self.result.waited_out = True

    def buyer_cancels(self, at: datetime) -> None:
        if self.snapshot.state is not AWAITING_SHIPMENT:
            return
        decision = self.apply(at, _BUYER_CANCELS)
        if decision.accepted:
            return
        if decision.code is ErrorCode.TOO_EARLY:
            self.after(decision.allowed_from, 0, self.buyer_cancels)
        elif decision.code is ErrorCode.FORBIDDEN_ACTOR:
            # The policy gives the buyer no cancel button: they write to support instead.
            self.after(at, self.persona.problem_review_after, self.support_cancels)

    def support_cancels(self, at: datetime) -> None:
        if self.snapshot.state is AWAITING_SHIPMENT:
            self.apply(at, _SUPPORT_CANCELS)

    def seller_reminds(self, at: datetime) -> None:
        if self.snapshot.state is not SHIPPED:
            return
        self.reminders_tried += 1
        if self.apply(at, _SELLER_REMINDS).accepted:
            self.result.seller_reminders += 1
        if self.reminders_tried < self.persona.max_reminders:
            self.after(at, self.persona.reminder_every, self.seller_reminds)

    def seller_asks(self, at: datetime) -> None:
        snapshot = self.snapshot
        if snapshot.state is not SHIPPED or snapshot.operator_request is not None:
            return
        decision = self.apply(at, _SELLER_ASKS)
        if decision.accepted:
            self.result.seller_requests += 1
            if not self.policy.operator_proxy_automatic:
                self.after(at, self.persona.request_review_after, self.operator_reviews_request)
        elif decision.code is ErrorCode.TOO_EARLY:
            # The buyer wrote in the meantime and the policy moved the date: ask again then.
            self.plan_request(at, decision.allowed_from)

    def seller_rates(self, at: datetime) -> None:
        if self.snapshot.state is AWAITING_SELLER_RATING:
            self.apply(at, _SELLER_RATES)

    def operator_reviews_request(self, at: datetime) -> None:
        snapshot = self.snapshot
        # An open problem report is the operator's case now; its own review decides.
        if (
            snapshot.state is SHIPPED
            and snapshot.operator_request_open
            and not snapshot.problem_open
        ):
            self._review(at, _OPERATOR_RATES, self.operator_reviews_request)

    def operator_reviews_problem(self, at: datetime) -> None:
        snapshot, persona = self.snapshot, self.persona
        if snapshot.state is SHIPPED and snapshot.problem_open:
            command = _REFUND if persona.problem_refunded else _OPERATOR_RATES
            self._review(at, command, self.operator_reviews_problem)
        elif snapshot.claim_open:
            refund = 0
            if persona.problem_refunded:
                left = snapshot.price - snapshot.refunded_after_payout
                refund = min(left, max(1, round(snapshot.price * persona.refund_share)))
            settle = Command(
                Actor.OPERATOR, Action.RESOLVE_PROBLEM, text=REFUND_TEXT, refund=refund
            )
            self._review(at, settle, self.operator_reviews_problem)

    def _review(self, at: datetime, command: Command, again: Callable[[datetime], None]) -> None:
        decision = self.apply(at, command)
        if not decision.accepted and decision.code is ErrorCode.TOO_EARLY:
            self.after(decision.allowed_from, 0, again)


def run_trade(
    persona: Persona, policy: Policy, horizon: timedelta, record: Recorder | None = None
) -> TradeResult:
    return TradeRun(persona, policy, horizon, record).run()

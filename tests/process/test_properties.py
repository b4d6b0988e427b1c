"""Properties of the trade process that must hold whatever the parties do.

Hand-written rule tests check the cases somebody thought of. These tests let hypothesis invent
the rest: a purchase at any moment (given at +09:00, UTC or -05:00), any price, any
ship-within option, then any sequence of actions by anybody — wrong actors, ratings like
"excellent", empty messages, texts over the limit — with the policy's timers firing between
them exactly as ``furima timeline`` fires them (``Replay.run_timers`` before each action).
A timer the engine announces and then refuses when it comes due fails every test here: the
replayer raises.

Each property runs against every shipped policy. What must always hold:

* money: every posting balances in integer yen; escrow never goes negative, holds the price
  while the trade holds it, and is empty once the trade is completed or cancelled; a release
  pays the seller the price minus the policy's fee, rounded down;
* one receipt evaluation per trade, never replaced;
* time only moves forward, and states only move along the contract's transitions;
* a rejection changes nothing, and what happens next depends only on the trade;
* under ``furima``, nobody waits on a silent party for ever: a shipped trade ends unless the
  buyer has a problem report open, and an unshipped one is cancelled with a refund.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from furima.process import (
    Action,
    Actor,
    Command,
    Decision,
    ErrorCode,
    Policy,
    Rejected,
    State,
    TradeSnapshot,
    deadlines,
    decide,
    default_registry,
)
from furima.process.commands import MAX_COMMENT_LENGTH, MAX_TEXT_LENGTH, MAX_TRACKING_NUMBER_LENGTH
from furima.process.ledger import BUYER, ESCROW, PLATFORM_FEES, SELLER
from furima.process.model import SHIP_WITHIN_CHOICES
from furima.process.replay import Replay

POLICY_IDS = ("rakuma-2016", "mercari-2016", "furima")
TOKYO = ZoneInfo("Asia/Tokyo")
INPUT_ZONES: tuple[tzinfo, ...] = (
    timezone(timedelta(hours=9)),
    UTC,
    timezone(timedelta(hours=-5)),
)
FINISHED = frozenset({State.COMPLETED, State.CANCELLED})
ALLOWED_TRANSITIONS = frozenset(
    {
        (None, State.AWAITING_SHIPMENT),
        (State.AWAITING_SHIPMENT, State.SHIPPED),
        (State.AWAITING_SHIPMENT, State.CANCELLED),
        (State.SHIPPED, State.AWAITING_SELLER_RATING),
        (State.SHIPPED, State.CANCELLED),
        (State.AWAITING_SELLER_RATING, State.COMPLETED),
    }
)
LONG_AFTER = timedelta(days=60)
"""Far enough for every furima timer (at most 14 days to the evaluation, 3 more to complete)."""

# Every example is a whole trade replayed step by step: slower to build than a number, so the
# "too slow" health check would only be noise. Nothing else is suppressed. The default keeps
# the file within a few seconds per policy; FURIMA_PROPERTY_EXAMPLES=3000 is a deep search
# (about ten minutes).
PROPERTY = settings(
    max_examples=int(os.environ.get("FURIMA_PROPERTY_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def policy_named(policy_id: str) -> Policy:
    return default_registry().get(policy_id)


# ------------------------------------------------------------------------ strategies
#
# A generated trade is data (a `TradeScript`) so hypothesis can show and shrink it; `play`
# turns it into a replayed trade.

# Who usually takes each action. A third of the generated steps come from here, a third from
# LIKELY_PAIRS below (so trades get far enough to exercise the later rules), and a third are
# anybody doing anything.
USUAL_ACTORS: dict[Action, tuple[Actor, ...]] = {
    Action.PURCHASE: (Actor.BUYER,),
    Action.MESSAGE: (Actor.BUYER, Actor.SELLER),
    Action.SHIP: (Actor.SELLER,),
    Action.DELIVER: (Actor.CARRIER,),
    Action.REMIND: (Actor.SELLER, Actor.SYSTEM),
    Action.RATE: (Actor.BUYER, Actor.SELLER),
    Action.REQUEST_OPERATOR: (Actor.SELLER,),
    Action.REPORT_PROBLEM: (Actor.BUYER,),
    Action.PROXY_RATE: (Actor.OPERATOR, Actor.SYSTEM),
    Action.CANCEL: (Actor.BUYER, Actor.SELLER, Actor.OPERATOR, Actor.SYSTEM),
    Action.COMPLETE: (Actor.SYSTEM,),
}
USUAL_PAIRS = [(actor, action) for action, actors in USUAL_ACTORS.items() for actor in actors]

# The moves that take a shipped trade on, some listed twice: asking the operator needs the
# seller to ask late and the buyer to keep quiet, so it must come up often to come up at all.
LIKELY_PAIRS = [
    (Actor.CARRIER, Action.DELIVER),
    (Actor.BUYER, Action.MESSAGE),
    (Actor.SELLER, Action.MESSAGE),
    (Actor.BUYER, Action.RATE),
    (Actor.SELLER, Action.RATE),
    (Actor.SELLER, Action.RATE),
    (Actor.SELLER, Action.REQUEST_OPERATOR),
    (Actor.SELLER, Action.REQUEST_OPERATOR),
    (Actor.OPERATOR, Action.PROXY_RATE),
    (Actor.OPERATOR, Action.PROXY_RATE),
    (Actor.BUYER, Action.REPORT_PROBLEM),
    (Actor.SELLER, Action.REMIND),
]

ratings = st.sampled_from(["good", "normal", "bad", "excellent", "", None])
comments = st.sampled_from(["", "ありがとうございました。", "x" * (MAX_COMMENT_LENGTH + 1)])
texts = st.sampled_from(["", "   ", "発送はいつ頃になりますか？", "x" * (MAX_TEXT_LENGTH + 1)])
reasons = st.sampled_from(["", "購入者都合", "x" * (MAX_TEXT_LENGTH + 1)])
tracking_numbers = st.sampled_from(["", " 1234-5678-9012 ", "x" * (MAX_TRACKING_NUMBER_LENGTH + 1)])


def _command(pair: tuple[Actor, Action], rating, comment, text, reason, tracking) -> Command:
    actor, action = pair
    return Command(
        actor=actor,
        action=action,
        rating=rating,
        comment=comment,
        text=text,
        reason=reason,
        tracking_number=tracking,
    )


def commands(pairs: st.SearchStrategy[tuple[Actor, Action]]) -> st.SearchStrategy[Command]:
    """Commands for the given (actor, action) pairs, with valid and invalid inputs."""
    return st.builds(_command, pairs, ratings, comments, texts, reasons, tracking_numbers)


anybody_anything = commands(
    st.one_of(
        st.sampled_from(LIKELY_PAIRS),
        st.sampled_from(USUAL_PAIRS),
        st.tuples(st.sampled_from(Actor), st.sampled_from(Action)),
    )
)
buyer_anything = commands(
    st.one_of(
        st.tuples(st.just(Actor.BUYER), st.sampled_from(Action)),
        st.just((Actor.CARRIER, Action.DELIVER)),
    )
)
"""The buyer doing anything at all (plus the carrier confirming delivery, which the buyer
cannot prevent)."""

buyer_anything_but_report = commands(
    st.one_of(
        st.tuples(
            st.just(Actor.BUYER),
            st.sampled_from([a for a in Action if a is not Action.REPORT_PROBLEM]),
        ),
        st.just((Actor.CARRIER, Action.DELIVER)),
    )
)
anybody_but_a_shipping_seller = commands(
    st.tuples(
        st.sampled_from([Actor.BUYER, Actor.SELLER, Actor.CARRIER]), st.sampled_from(Action)
    ).filter(lambda pair: pair not in {(Actor.SELLER, Action.SHIP), (Actor.SELLER, Action.CANCEL)})
)
"""Everybody but the operator and the engine, the seller never shipping nor cancelling."""

gaps = st.one_of(
    st.just(timedelta(0)),
    st.integers(1, 6 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(1, 10 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(1, 15).map(lambda days: timedelta(days=days)),
)
"""Time between two steps: none, minutes, up to ten days, or whole days (which land exactly
on rules like "shipped_at + 14d")."""
within_a_day = st.integers(0, 24 * 60).map(lambda minutes: timedelta(minutes=minutes))

input_zones = st.sampled_from(INPUT_ZONES)
EARLIEST_PURCHASE = datetime(2016, 1, 1, tzinfo=UTC)


def _minutes_after_earliest(minutes: int, zone: tzinfo) -> datetime:
    return (EARLIEST_PURCHASE + timedelta(minutes=minutes)).astimezone(zone)


purchase_times = st.builds(_minutes_after_earliest, st.integers(0, 15 * 366 * 24 * 60), input_zones)
"""Any minute from 2016 to 2030 (Golden Weeks and New Years included), in any input zone."""


@dataclass(frozen=True)
class Step:
    gap: timedelta
    zone: tzinfo
    command: Command


@dataclass(frozen=True)
class TradeScript:
    purchased_at: datetime
    price: int
    ship_within: str
    steps: tuple[Step, ...]
    tail: timedelta
    """How long after the last step the timers still run."""


tails = st.sampled_from([timedelta(0), timedelta(days=3), LONG_AFTER])
"""How long the timers run on after the last step: not at all, a little, to the very end."""


def steps(
    command_strategy: st.SearchStrategy[Command],
    *,
    min_size: int = 0,
    max_size: int = 20,
    gap: st.SearchStrategy[timedelta] = gaps,
) -> st.SearchStrategy[tuple[Step, ...]]:
    step = st.builds(Step, gap, input_zones, command_strategy)
    return st.lists(step, min_size=min_size, max_size=max_size).map(tuple)


def trades(
    after_purchase: st.SearchStrategy[tuple[Step, ...]],
    *,
    tail: st.SearchStrategy[timedelta] = tails,
) -> st.SearchStrategy[TradeScript]:
    return st.builds(
        TradeScript,
        purchased_at=purchase_times,
        price=st.integers(1, 300_000),
        ship_within=st.sampled_from(sorted(SHIP_WITHIN_CHOICES)),
        steps=after_purchase,
        tail=tail,
    )


@st.composite
def seller_ships_then_falls_silent(
    draw, buyer: st.SearchStrategy[Command], *, steps_before: int = 5
) -> tuple[Step, ...]:
    """The buyer does anything, before and after shipping; the seller ships once, within a
    day of the buyer's last step before it, and then does nothing at all."""
    before = draw(steps(buyer, max_size=steps_before, gap=within_a_day)) if steps_before else ()
    ship = Step(
        gap=draw(within_a_day),
        zone=draw(input_zones),
        command=Command(actor=Actor.SELLER, action=Action.SHIP),
    )
    return (*before, ship, *draw(steps(buyer)))


seller_ships = st.builds(
    Command,
    actor=st.just(Actor.SELLER),
    action=st.just(Action.SHIP),
    tracking_number=st.sampled_from(["", " 1234-5678-9012 "]),
)


@st.composite
def mostly_shipped(draw, others: st.SearchStrategy[Command]) -> tuple[Step, ...]:
    """Anything may happen before and after; in three trades out of four the seller ships
    early on, so the later rules (ratings, operator, timers) are reached often."""
    before = draw(steps(others, max_size=3, gap=within_a_day))
    ship = ()
    if draw(st.sampled_from([True, True, True, False])):
        ship = (Step(draw(within_a_day), draw(input_zones), draw(seller_ships)),)
    return (*before, *ship, *draw(steps(others, min_size=2)))


any_trade = trades(mostly_shipped(anybody_anything))
"""A trade in which anybody does anything."""


# ------------------------------------------------------------------------ replaying


@dataclass(frozen=True)
class Taken:
    """One step as the trade lived it: when, what, the decision, and the trade around it."""

    at: datetime
    command: Command
    decision: Decision
    before: TradeSnapshot
    after: TradeSnapshot


def play(policy: Policy, trade: TradeScript) -> Replay:
    """Replay the trade as ``furima timeline`` would: timers due before each step fire
    first, and after the last step they run on for `trade.tail`."""
    run = Replay(policy, new_snapshot(policy, trade))
    at = trade.purchased_at
    run.apply(at, Command(actor=Actor.BUYER, action=Action.PURCHASE))
    for step in trade.steps:
        at = (at + step.gap).astimezone(step.zone)
        run.run_timers(at)
        run.apply(at, step.command)
    run.run_timers(at + trade.tail)
    return run


def new_snapshot(policy: Policy, trade: TradeScript) -> TradeSnapshot:
    return TradeSnapshot.new(
        policy_id=policy.id,
        policy_version=policy.version,
        price=trade.price,
        ship_within=trade.ship_within,
    )


def history(run: Replay, start: TradeSnapshot) -> list[Taken]:
    """Every decision of the replay (timers included) with the snapshot before and after."""
    taken, current = [], start
    for at, command, decision in run.decisions:
        after = decision.snapshot if decision.accepted else current
        taken.append(Taken(at, command, decision, current, after))
        current = after
    return taken


def replayed(policy: Policy, trade: TradeScript) -> tuple[Replay, list[Taken]]:
    run = play(policy, trade)
    return run, history(run, new_snapshot(policy, trade))


def balances(taken: list[Taken]) -> Counter[str]:
    accounts: Counter[str] = Counter()
    for step in taken:
        if step.decision.accepted:
            for posting in step.decision.postings:
                for entry in posting.entries:
                    accounts[entry.account] += entry.amount
    return accounts


def is_receipt_evaluation(step: Taken) -> bool:
    command = step.command
    return step.decision.accepted and (
        command.action is Action.PROXY_RATE
        or (command.action is Action.RATE and command.actor is Actor.BUYER)
    )


def ship_by_date(trade: TradeScript) -> date:
    """The listing's promise in plain dates: ship-within days after the purchase's Tokyo date."""
    purchase_day = trade.purchased_at.astimezone(TOKYO).date()
    return purchase_day + timedelta(days=SHIP_WITHIN_CHOICES[trade.ship_within])


every_policy = pytest.mark.parametrize("policy_id", POLICY_IDS)


# ------------------------------------------------------------------------ money


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_every_posting_balances_whatever_the_parties_do(policy_id, trade):
    """Double entry in integer yen: each posting sums to zero, so the books always do."""
    _, taken = replayed(policy_named(policy_id), trade)
    for step in taken:
        if not step.decision.accepted:
            continue
        for posting in step.decision.postings:
            assert all(type(entry.amount) is int for entry in posting.entries)
            assert sum(entry.amount for entry in posting.entries) == 0


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_escrow_holds_the_price_until_released_or_refunded_and_is_empty_at_the_end(
    policy_id, trade
):
    """The buyer's money sits in escrow, never less than nothing, never twice, and nothing is
    left there once the trade is over."""
    _, taken = replayed(policy_named(policy_id), trade)
    for upto in range(1, len(taken) + 1):  # the books after each step
        accounts, trade_now = balances(taken[:upto]), taken[upto - 1].after
        assert accounts[ESCROW] >= 0
        assert sum(accounts.values()) == 0
        over = trade_now.state in FINISHED
        assert accounts[ESCROW] == (0 if over or trade_now.escrow_released else trade.price)


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_a_release_pays_the_seller_the_price_less_the_policys_fee_rounded_down(policy_id, trade):
    """What leaves escrow on release is split seller / platform, the fee rounded down."""
    policy = policy_named(policy_id)
    run, taken = replayed(policy, trade)
    accounts = balances(taken)
    kinds = [p.kind for s in taken if s.decision.accepted for p in s.decision.postings]
    assert kinds.count("purchase") == 1
    assert kinds.count("release") + kinds.count("refund") <= 1
    if "release" in kinds:
        fee = trade.price * policy.fee_percent // 100
        assert accounts[PLATFORM_FEES] == fee
        assert accounts[SELLER] + accounts[PLATFORM_FEES] == trade.price
        assert accounts[BUYER] == -trade.price
        assert run.snapshot.escrow_released
    else:
        assert accounts[SELLER] == accounts[PLATFORM_FEES] == 0
    if "refund" in kinds:
        assert accounts[BUYER] == 0
        assert run.snapshot.state is State.CANCELLED


# ------------------------------------------------------------------------ ratings


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_there_is_never_more_than_one_receipt_evaluation(policy_id, trade):
    """The buyer's rate and every proxy rating are the same receipt evaluation (受取評価):
    whoever comes first wins, nobody can give a second one."""
    run, taken = replayed(policy_named(policy_id), trade)
    evaluations = [step for step in taken if is_receipt_evaluation(step)]
    assert len(evaluations) <= 1
    assert (run.snapshot.buyer_rating is not None) == (len(evaluations) == 1)


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_the_buyers_rating_once_given_is_never_replaced(policy_id, trade):
    _, taken = replayed(policy_named(policy_id), trade)
    for step in taken:
        if step.before.buyer_rating is not None:
            assert step.after.buyer_rating == step.before.buyer_rating


# ------------------------------------------------------------------------ time and state


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_step_times_never_go_backwards(policy_id, trade):
    """Timers fire at their own due time, never before a step already taken; whatever zone
    the input came in, the recorded instant is the same."""
    _, taken = replayed(policy_named(policy_id), trade)
    for earlier, later in pairwise(taken):
        assert earlier.at <= later.at
    for step in taken:
        if step.decision.accepted:
            assert step.decision.event.at == step.at


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_states_only_move_along_the_allowed_transitions(policy_id, trade):
    """awaiting_shipment → shipped | cancelled; shipped → awaiting_seller_rating |
    cancelled; awaiting_seller_rating → completed; completed and cancelled are final."""
    _, taken = replayed(policy_named(policy_id), trade)
    for step in taken:
        if step.before.state != step.after.state:
            assert (step.before.state, step.after.state) in ALLOWED_TRANSITIONS, step.command


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_a_rejected_command_changes_nothing(policy_id, trade):
    """A rejection carries a contract code and no snapshot; the trade stays exactly as it
    was, and asking again at the same instant gives the same answer."""
    policy = policy_named(policy_id)
    run = Replay(policy, new_snapshot(policy, trade))
    at = trade.purchased_at
    run.apply(at, Command(actor=Actor.BUYER, action=Action.PURCHASE))
    for step in trade.steps:
        at = (at + step.gap).astimezone(step.zone)
        run.run_timers(at)
        before = run.snapshot
        as_it_was = dataclasses.replace(before)
        decision = run.apply(at, step.command)
        assert decide(before, step.command, at, policy) == decision
        if decision.accepted:
            continue
        assert isinstance(decision, Rejected)
        assert not hasattr(decision, "snapshot")
        assert run.snapshot == as_it_was
        assert decision.code in set(ErrorCode)
        if decision.code in (ErrorCode.TOO_EARLY, ErrorCode.TOO_SOON):
            assert decision.allowed_from is not None and decision.allowed_from > at


@every_policy
@PROPERTY
@given(trade=any_trade)
def test_what_happens_next_depends_only_on_the_trade_not_on_the_copy_asked(policy_id, trade):
    """deadlines() may remember its answer on a snapshot; a fresh, equal snapshot (as a
    service builds from the database) must get the same answer at every step."""
    policy = policy_named(policy_id)
    _, taken = replayed(policy, trade)
    for step in taken:
        rebuilt = dataclasses.replace(step.after)
        assert rebuilt == step.after
        assert deadlines(rebuilt, policy) == deadlines(step.after, policy)


# ------------------------------------------------------------------------ furima ends


@PROPERTY
@given(trade=trades(seller_ships_then_falls_silent(buyer_anything), tail=st.just(LONG_AFTER)))
def test_under_furima_a_shipped_trade_ends_whatever_the_buyer_does(trade):
    """The seller ships and then does nothing else. Whatever the buyer does — nothing,
    messages every day, ratings the policy refuses — the engine completes the trade, or it
    ends cancelled; the one thing that holds it is the buyer's open problem report, which
    waits for the operator (before the payout; under furima@2 also a claim after it, which
    holds only the seller's rating window: the seller has been paid)."""
    run = play(policy_named("furima"), trade)
    final = run.snapshot
    if final.state not in FINISHED:
        assert final.problem_open
        if final.state is not State.SHIPPED:
            assert final.state is State.AWAITING_SELLER_RATING
            assert final.claim_open and final.escrow_released


@PROPERTY
@given(
    trade=trades(
        seller_ships_then_falls_silent(buyer_anything_but_report, steps_before=0),
        tail=st.just(LONG_AFTER),
    )
)
def test_under_furima_a_silent_buyer_holds_the_sellers_money_at_most_14_days(trade):
    """Without a problem report the receipt evaluation — and with it the seller's money —
    comes at the latest 14 days after shipping, and the trade completes at the latest 3
    days after that."""
    run = play(policy_named("furima"), trade)
    final = run.snapshot
    assert final.state is State.COMPLETED
    assert final.escrow_released
    assert final.buyer_rating.at <= final.shipped_at + timedelta(days=14)
    assert final.completed_at <= final.buyer_rating.at + timedelta(days=3)


@PROPERTY
@given(trade=trades(steps(anybody_but_a_shipping_seller), tail=st.just(LONG_AFTER)))
def test_under_furima_a_trade_never_shipped_is_cancelled_with_a_refund(trade):
    """If the seller never ships, the buyer gets the money back: the engine cancels at
    ship-by + 3 days, unless the buyer cancelled first (allowed from the day after ship-by)."""
    run, taken = replayed(policy_named("furima"), trade)
    final = run.snapshot
    assert final.state is State.CANCELLED
    accounts = balances(taken)
    assert accounts[ESCROW] == accounts[BUYER] == accounts[SELLER] == 0
    (cancel,) = [s for s in taken if s.decision.accepted and s.after.state is State.CANCELLED]
    ship_by = ship_by_date(trade)
    engine_cancels_at = datetime.combine(ship_by + timedelta(days=3), time(23, 59), tzinfo=TOKYO)
    buyer_may_cancel_from = datetime.combine(ship_by + timedelta(days=1), time(0, 0), tzinfo=TOKYO)
    if cancel.command.action is Action.ACCEPT_CANCEL:  # both agreed, before the engine had to
        assert final.cancelled_at < engine_cancels_at
    elif cancel.command.actor is Actor.SYSTEM:
        assert final.cancelled_at == engine_cancels_at
    else:
        assert cancel.command.actor is Actor.BUYER
        assert buyer_may_cancel_from <= final.cancelled_at < engine_cancels_at


# ------------------------------------------------------------- resolution and cancellation
#
# Fixed seeds: these run the new actions through the same replayer as everything above, and
# a failure must come back the same on the next run.

RESOLVING_PAIRS = [
    (Actor.SELLER, Action.SHIP),
    (Actor.CARRIER, Action.DELIVER),
    (Actor.BUYER, Action.MESSAGE),
    (Actor.BUYER, Action.REPORT_PROBLEM),
    (Actor.BUYER, Action.REPORT_PROBLEM),
    (Actor.BUYER, Action.RESOLVE_PROBLEM),
    (Actor.OPERATOR, Action.RESOLVE_PROBLEM),
    (Actor.OPERATOR, Action.RESOLVE_PROBLEM),
    (Actor.BUYER, Action.RATE),
    (Actor.OPERATOR, Action.PROXY_RATE),
]
NEGOTIATING_PAIRS = [
    (Actor.SELLER, Action.SHIP),
    (Actor.BUYER, Action.REQUEST_CANCEL),
    (Actor.SELLER, Action.REQUEST_CANCEL),
    (Actor.BUYER, Action.ACCEPT_CANCEL),
    (Actor.SELLER, Action.ACCEPT_CANCEL),
    (Actor.BUYER, Action.DECLINE_CANCEL),
    (Actor.SELLER, Action.DECLINE_CANCEL),
    (Actor.BUYER, Action.RATE),
    (Actor.SELLER, Action.RATE),
    (Actor.BUYER, Action.CANCEL),
    (Actor.OPERATOR, Action.CANCEL),
    (Actor.BUYER, Action.REPORT_PROBLEM),
    (Actor.OPERATOR, Action.RESOLVE_PROBLEM),
]
resolving = commands(st.one_of(st.sampled_from(RESOLVING_PAIRS), st.sampled_from(USUAL_PAIRS)))
negotiating = commands(
    st.one_of(
        st.sampled_from(NEGOTIATING_PAIRS),
        st.tuples(st.sampled_from(Actor), st.sampled_from(Action)),
    )
)


@st.composite
def shipped_reported_resolved(draw) -> tuple[Step, ...]:
    """The seller ships; the buyer reports a problem some time later; the operator (or the
    buyer) resolves it after anything from minutes to weeks; then anything may happen."""
    resolver = draw(st.sampled_from([Actor.OPERATOR, Actor.BUYER]))
    fixed = (
        Step(draw(within_a_day), draw(input_zones), draw(seller_ships)),
        Step(draw(gaps), draw(input_zones), Command(Actor.BUYER, Action.REPORT_PROBLEM)),
        Step(draw(gaps), draw(input_zones), Command(resolver, Action.RESOLVE_PROBLEM)),
    )
    return (*fixed, *draw(steps(resolving, max_size=8)))


def grace_ends(policy: Policy, resolved_at: datetime) -> datetime:
    rule = policy.auto_evaluation.after_problem_resolved
    return rule.at({"problem_resolved_at": resolved_at}, policy.zone)


@seed(20261130)
@PROPERTY
@given(
    trade=trades(
        st.one_of(shipped_reported_resolved(), mostly_shipped(resolving)), tail=st.just(LONG_AFTER)
    )
)
def test_a_resolved_problem_never_lets_the_automatic_evaluation_fire_inside_the_grace(trade):
    """Under furima, after resolve_problem (by the operator, or the buyer withdrawing), the
    engine's own receipt evaluation never comes before `problem_resolved_at + 3d@13:00` —
    however early the normal rule or the 14-day cap would have been — and the screen's
    `auto_complete_at` never promises an earlier instant."""
    policy = policy_named("furima")
    _, taken = replayed(policy, trade)
    for step in taken:
        resolved_at = step.before.problem_resolved_at
        automatic = step.command.actor is Actor.SYSTEM and step.command.action is Action.PROXY_RATE
        if automatic and step.decision.accepted and resolved_at is not None:
            assert step.at >= grace_ends(policy, resolved_at)
        after = step.after
        if after.state is State.SHIPPED and after.problem_resolved_at is not None:
            due = deadlines(after, policy).auto_complete_at
            assert due is None or due >= grace_ends(policy, after.problem_resolved_at)


@seed(20261130)
@every_policy
@PROPERTY
@given(trade=trades(mostly_shipped(negotiating)))
def test_the_books_balance_through_any_cancellation_negotiation(policy_id, trade):
    """Requests, acceptances, declines and lapsed windows in any order, by anybody: every
    posting balances, escrow holds the price until one release or one refund, a refund
    returns the whole price, and an accepted cancellation only ever comes before the
    receipt evaluation."""
    policy = policy_named(policy_id)
    _, taken = replayed(policy, trade)
    for upto in range(1, len(taken) + 1):
        accounts, now = balances(taken[:upto]), taken[upto - 1].after
        assert sum(accounts.values()) == 0
        over = now.state in FINISHED
        assert accounts[ESCROW] == (0 if over or now.escrow_released else trade.price)
    kinds = [p.kind for s in taken if s.decision.accepted for p in s.decision.postings]
    assert kinds.count("release") + kinds.count("refund") <= 1
    for step in taken:
        if step.decision.accepted and step.command.action is Action.ACCEPT_CANCEL:
            assert step.before.buyer_rating is None and not step.before.escrow_released
            assert step.before.cancel_request.by is not step.command.actor
            assert balances(taken)[BUYER] == 0
        if step.after.cancel_request is not None:
            assert step.after.state in (State.AWAITING_SHIPMENT, State.SHIPPED)

"""How fast is the pure trade engine? Prints figures; it is not a test.

    .venv/bin/python bench/engine.py            # a few seconds per figure
    .venv/bin/python bench/engine.py --quick    # a short run, for a smoke check
    .venv/bin/python bench/engine.py --profile  # also cProfile the decide+deadlines loop

Two figures:

1. decide+deadlines steps per second on one core. Every service call (and every worker
   timer) decides one command and then computes the trade's deadlines to store its next timer,
   so that pair is the engine's unit of work. The workload is a realistic mix of trades under
   each policy — happy trades, silent buyers left to the timers and the operator, chatty
   buyers, unshipped trades, problem reports — recorded once, then decided again and again.
   Rejected steps (a request made too early, a cancel before ship-by) are part of the mix and
   are followed by deadlines() too, as the API shows the trade's deadlines after a refusal.
   Besides steps/s by the wall clock (time.perf_counter) it prints steps per CPU-second
   (time.process_time), which other load on the machine disturbs less.
2. Replaying a 1,000-event script with ``furima timeline``'s code path (``load_script`` then
   ``replay``): a purchase, the shipping notice, then buyer and seller writing to each other
   every half hour for three weeks while the policy's timers fire.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from furima.process import (
    Action,
    Actor,
    Command,
    Policy,
    TradeSnapshot,
    deadlines,
    decide,
    default_registry,
)
from furima.process.replay import Replay, load_script, replay

TARGET_STEPS_PER_SECOND = 50_000
POLICY_IDS = ("rakuma-2016", "mercari-2016", "furima")
TOKYO = ZoneInfo("Asia/Tokyo")
SCRIPT_EVENTS = 1_000
REPLAY_RUNS = 5


@dataclass(frozen=True, slots=True)
class Work:
    """One recorded step: the trade as it was, the command, and when it came."""

    snapshot: TradeSnapshot
    command: Command
    at: datetime


# ----------------------------------------------------------------- the trade mix
#
# Each story yields (hours since purchase, actor, action, fields). The policy's timers fire
# between the steps, as they would in production.

Story = Iterator[tuple[float, str, str, dict]]


def happy(rng: random.Random, policy: Policy) -> Story:
    """Ships, a word each way, delivered, both rate."""
    shipped = rng.uniform(2, 40)
    yield shipped, "seller", "ship", {"tracking_number": "1234-5678-9012"}
    yield shipped + 0.5, "seller", "message", {"text": "本日発送しました。"}
    yield shipped + 3, "buyer", "message", {"text": "ありがとうございます。"}
    delivered = shipped + rng.uniform(20, 70)
    yield delivered, "carrier", "deliver", {}
    rated = delivered + rng.uniform(1, 48)
    yield rated, "buyer", "rate", {"rating": "good", "comment": "ありがとうございました。"}
    yield rated + rng.uniform(1, 30), "seller", "rate", {"rating": "good"}


def silent_buyer(rng: random.Random, policy: Policy) -> Story:
    """The buyer never rates: reminders, the operator or the engine's own evaluation."""
    shipped = rng.uniform(2, 40)
    yield shipped, "seller", "ship", {}
    yield shipped + 1, "seller", "message", {"text": "発送しました。"}
    if rng.random() < 0.5:
        yield shipped + rng.uniform(20, 60), "carrier", "deliver", {}
    yield shipped + 80, "seller", "remind", {}
    yield shipped + 90, "seller", "remind", {}  # too soon: once a day at most (furima)
    yield shipped + 24 * 6, "seller", "request_operator", {}  # too early everywhere
    if policy.id == "rakuma-2016":
        yield shipped + 24 * 14 + 1, "seller", "request_operator", {}  # support rates 3 days on
        yield shipped + 24 * 18, "seller", "rate", {"rating": "normal"}
    elif policy.id == "mercari-2016":
        yield shipped + 24 * 9, "seller", "request_operator", {}
        yield shipped + 24 * 10, "operator", "proxy_rate", {}
        yield shipped + 24 * 10 + 2, "seller", "rate", {"rating": "good"}
    elif rng.random() < 0.5:
        yield shipped + 24 * 9, "seller", "rate", {"rating": "good"}
    # else: furima completes the trade without the seller's rating


def chatty_buyer(rng: random.Random, policy: Policy) -> Story:
    shipped = rng.uniform(2, 40)
    yield shipped, "seller", "ship", {}
    at = shipped
    for turn in range(8):
        at += rng.uniform(2, 30)
        if turn % 2 == 0:
            yield at, "buyer", "message", {"text": "まだ届いていません。"}
        else:
            yield at, "seller", "message", {"text": "確認します。"}
    yield at + 5, "buyer", "rate", {"rating": rng.choice(["good", "normal", "excellent"])}
    yield at + 6, "buyer", "rate", {"rating": "normal"}
    yield at + 30, "seller", "rate", {"rating": "good"}


def never_shipped(rng: random.Random, policy: Policy) -> Story:
    yield 5, "buyer", "message", {"text": "発送はいつ頃になりますか？"}
    yield 30, "buyer", "cancel", {}  # before ship-by: too early, or not this policy's rule
    if policy.id == "mercari-2016":
        yield 24 * 9, "buyer", "cancel", {"reason": "発送されないため"}
    elif policy.id == "rakuma-2016":
        yield 24 * 9, "operator", "cancel", {"reason": "発送期限切れ"}
    # furima cancels by itself at ship-by + 3 days


def problem(rng: random.Random, policy: Policy) -> Story:
    shipped = rng.uniform(2, 40)
    yield shipped, "seller", "ship", {}
    yield shipped + 30, "carrier", "deliver", {}
    yield shipped + 40, "buyer", "report_problem", {"text": "商品が破損していました。"}
    yield shipped + 41, "seller", "message", {"text": "申し訳ありません。"}
    if rng.random() < 0.5:
        yield shipped + 24 * 3, "operator", "proxy_rate", {}
        yield shipped + 24 * 4, "seller", "rate", {"rating": "normal"}
    else:
        yield shipped + 24 * 3, "operator", "cancel", {"reason": "返品・返金"}


STORIES: tuple[tuple[Callable[[random.Random, Policy], Story], int], ...] = (
    (happy, 40),
    (silent_buyer, 30),
    (chatty_buyer, 15),
    (never_shipped, 10),
    (problem, 5),
)


def recorded_steps(policy: Policy, trades: int, seed: int = 2016) -> list[Work]:
    """Play `trades` stories through the replayer and record every step it decided."""
    rng = random.Random(seed)
    stories, weights = zip(*STORIES, strict=True)
    work: list[Work] = []
    for _ in range(trades):
        story = rng.choices(stories, weights)[0]
        start = TradeSnapshot.new(
            policy_id=policy.id,
            policy_version=policy.version,
            price=rng.randint(300, 300_000),
            ship_within=rng.choice(["1-2", "2-3", "4-7"]),
        )
        purchased = datetime(2026, 1, 5, 9, tzinfo=TOKYO) + timedelta(
            minutes=rng.randint(0, 300 * 24 * 60)
        )
        run = Replay(policy, start)
        run.apply(purchased, Command(actor=Actor.BUYER, action=Action.PURCHASE))
        last = purchased
        for hours, actor, action, fields in story(rng, policy):
            last = purchased + timedelta(hours=hours)
            run.run_timers(last)
            run.apply(last, Command(actor=Actor(actor), action=Action(action), **fields))
        run.run_timers(last + timedelta(days=30))
        snapshot = start
        for at, command, decision in run.decisions:
            work.append(Work(snapshot, command, at))
            if decision.accepted:
                snapshot = decision.snapshot
    return work


# ----------------------------------------------------------------- measuring


def decide_and_deadlines(work: list[Work], policy: Policy) -> None:
    """The unit of work: what a service call or a worker timer asks of the engine."""
    for step in work:
        decision = decide(step.snapshot, step.command, step.at, policy)
        deadlines(decision.snapshot if decision.accepted else step.snapshot, policy)


def fresh(work: list[Work]) -> list[Work]:
    """The same steps on new snapshot objects. deadlines() memoises its answer on the
    snapshot, and a service builds a new snapshot from the database for every call, so a
    round must not profit from the previous round's memo (nor from the recording's)."""
    return [Work(step.snapshot.replace(), step.command, step.at) for step in work]


@dataclass(frozen=True, slots=True)
class Measured:
    steps: int
    wall: float  # seconds, time.perf_counter
    cpu: float  # seconds of this process's CPU, time.process_time

    def __add__(self, other: Measured) -> Measured:
        return Measured(self.steps + other.steps, self.wall + other.wall, self.cpu + other.cpu)

    @property
    def per_second(self) -> float:
        return self.steps / self.wall

    @property
    def per_cpu_second(self) -> float:
        return self.steps / self.cpu if self.cpu else float("nan")


def steps_per_second(work: list[Work], policy: Policy, seconds: float) -> Measured:
    """Run the recorded steps over and over for about `seconds` of wall-clock time."""
    measured = Measured(0, 0.0, 0.0)
    while measured.wall < seconds:
        round_of_work = fresh(work)
        wall, cpu = time.perf_counter(), time.process_time()
        decide_and_deadlines(round_of_work, policy)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        measured += Measured(len(round_of_work), wall, cpu)
    return measured


def chat_script(policy_id: str, events: int = SCRIPT_EVENTS) -> str:
    """A purchase, the shipping notice, then messages every 30 minutes, turn about."""
    purchased = datetime(2026, 3, 2, 20, 0, tzinfo=TOKYO)
    shipped = purchased + timedelta(hours=14)
    script = [
        {"at": purchased.isoformat(), "actor": "buyer", "action": "purchase", "price": 4800},
        {"at": shipped.isoformat(), "actor": "seller", "action": "ship"},
    ]
    for index in range(events - len(script)):
        actor = "buyer" if index % 2 == 0 else "seller"
        at = shipped + timedelta(minutes=30 * (index + 1))
        script.append(
            {"at": at.isoformat(), "actor": actor, "action": "message", "text": f"{index}件目"}
        )
    until = shipped + timedelta(days=30)
    return json.dumps({"policy": policy_id, "events": script, "until": until.isoformat()})


def replay_milliseconds(text: str, runs: int) -> tuple[float, int]:
    """Best of `runs` for parsing and replaying the script; (milliseconds, steps taken)."""
    best, steps = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        result = replay(load_script(text))
        best = min(best, time.perf_counter() - started)
        steps = len(result["steps"])
    return best * 1000, steps


# ----------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (a smoke check)")
    parser.add_argument("--profile", action="store_true", help="cProfile the decide loop too")
    options = parser.parse_args()
    seconds = 0.3 if options.quick else 2.0
    trades = 100 if options.quick else 400
    registry = default_registry()

    print(f"furima engine benchmark — Python {platform.python_version()}, one core")
    print(f"target: at least {TARGET_STEPS_PER_SECOND:,} decide+deadlines steps/s")
    total = Measured(0, 0.0, 0.0)
    workloads = {}
    for policy_id in POLICY_IDS:
        policy = registry.get(policy_id)
        work = recorded_steps(policy, trades)
        workloads[policy_id] = (policy, work)
        decide_and_deadlines(fresh(work), policy)  # warm the holiday and business-day caches
        measured = steps_per_second(work, policy, seconds)
        total += measured
        print(
            f"decide+deadlines: {measured.per_second:,.0f} steps/s (policy {policy_id}; "
            f"{measured.per_cpu_second:,.0f} per CPU-second; "
            f"{trades} trades = {len(work):,} steps a round)"
        )
    verdict = "meets" if total.per_second >= TARGET_STEPS_PER_SECOND else "BELOW"
    print(
        f"decide+deadlines: {total.per_second:,.0f} steps/s (overall; {verdict} the target; "
        f"{total.per_cpu_second:,.0f} per CPU-second)"
    )
    if total.cpu < 0.9 * total.wall:
        print(
            f"note: this process had {total.cpu / total.wall:.0%} of a core; other load on the "
            "machine lowers the steps/s figures, the per-CPU-second ones less so"
        )

    runs = 2 if options.quick else REPLAY_RUNS
    for policy_id in POLICY_IDS:
        milliseconds, steps = replay_milliseconds(chat_script(policy_id), runs)
        print(
            f"replay {SCRIPT_EVENTS:,}-event script: {milliseconds:,.1f} ms "
            f"(policy {policy_id}; {steps:,} steps with timers; best of {runs})"
        )

    if options.profile:
        rounds = [(policy, fresh(work)) for policy, work in workloads.values() for _ in range(3)]
        profiler = cProfile.Profile()
        profiler.enable()
        for policy, round_of_work in rounds:
            decide_and_deadlines(round_of_work, policy)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()

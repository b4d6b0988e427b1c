"""The simulator's figures: deterministic, streaming, and in step with the engine's timeline."""

from __future__ import annotations

import json
import tracemalloc
from datetime import datetime, timedelta

import pytest

from furima.cli import main
from furima.process import default_registry
from furima.process.engine import Accepted
from furima.process.ledger import PLATFORM_FEES, SELLER
from furima.process.model import Actor, State, TradeSnapshot
from furima.process.replay import Replay, parse_script
from furima.simulate import load_behaviour, simulate, trace
from furima.simulate.persona import draw_persona
from furima.simulate.run import BATCH, block_rng, first_of_cohort, nth_persona
from tests.simulate.models import BEHAVIOUR_2016, busy, model, replace_line

POLICIES = ("rakuma-2016", "mercari-2016", "furima")
DAY = 24 * 60


def policy(reference: str):
    return default_registry().resolve(reference)


def test_the_same_seed_gives_the_same_figures():
    behaviour = load_behaviour()
    first = simulate(policy("furima"), behaviour, 300, seed=7).as_dict()
    assert simulate(policy("furima"), behaviour, 300, seed=7).as_dict() == first
    assert simulate(policy("furima"), behaviour, 300, seed=8).as_dict() != first


def test_each_trade_meets_the_same_people_under_every_policy():
    behaviour = load_behaviour(BEHAVIOUR_2016)
    per_policy = [simulate(policy(p), behaviour, 300, seed=3) for p in POLICIES]
    cohort_sizes = [{n: t.trades for n, t in s.cohorts.items()} for s in per_policy]
    assert cohort_sizes[0] == cohort_sizes[1] == cohort_sizes[2]


def test_a_silent_buyer_under_rakuma_2016_is_paid_17_days_after_the_shipping_notice():
    summary = simulate(policy("rakuma-2016"), model(), 50, seed=1)
    figures = summary.total.as_dict()
    assert figures["payout_days"] == {"p50": 17.0, "p90": 17.0, "p99": 17.0, "max": 17.0}
    assert figures["outcomes"]["proxy"] == 50
    assert figures["seller_requests_per_trade"] == 1.0
    assert figures["operator_touches_per_1000"] == 1000.0
    # The seller's rating completes the trade, and completion releases the escrow.
    assert figures["seller_ratings_needed_per_trade"] == 1.0


def test_under_rakuma_2016_the_payout_waits_for_the_sellers_rating():
    slow_seller = model(base=replace_line("rating_delay_hours", "rating_delay_hours = 48"))
    figures = simulate(policy("rakuma-2016"), slow_seller, 20, seed=1).total.as_dict()
    assert figures["payout_days"]["max"] == 19.0


def test_under_furima_the_payout_is_the_receipt_evaluation_not_the_sellers_rating():
    quick = simulate(policy("furima"), model(), 50, seed=1).total.as_dict()
    slow = model(base=replace_line("rating_delay_hours", "rating_delay_hours = 48"))
    assert (
        simulate(policy("furima"), slow, 50, seed=1).total.as_dict()["payout_days"]
        == (quick["payout_days"])
    )
    assert quick["payout_days"]["max"] <= 14.0  # the automatic evaluation's hard cap
    assert quick["seller_ratings_needed_per_trade"] == 0.0


def test_the_2016_silent_cohort_is_the_seeds_case():
    summary = simulate(policy("rakuma-2016"), load_behaviour(BEHAVIOUR_2016), 400, seed=1)
    silent = summary.cohorts["silent"]
    assert silent.trades > 0
    paid = silent.as_dict()["payout_days"]
    assert paid == {"p50": 17.0, "p90": 17.0, "p99": 17.0, "max": 17.0}
    shipped = silent.payouts.total  # every shipped silent trade is paid out
    assert silent.seller_requests == shipped
    assert silent.operator_touches == silent.trades  # proxy ratings, plus never-shipped cancels


def _timeline(script: dict, tmp_path, capsys) -> dict:
    path = tmp_path / "trade.json"
    path.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    assert main(["timeline", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_silent_buyers_figures_match_furima_timeline_on_the_same_trade(tmp_path, capsys):
    behaviour = load_behaviour(BEHAVIOUR_2016)
    index = first_of_cohort(behaviour, 1, "silent")
    script, counted, cohort = trace(policy("rakuma-2016"), behaviour, 1, index)
    assert cohort == "silent"

    timeline = _timeline(script, tmp_path, capsys)

    accepted = [s for s in timeline["steps"] if s["accepted"]]
    shipped = next(s["at"] for s in accepted if s["action"] == "ship")
    paid = datetime.fromisoformat(timeline["final"]["completed_at"])
    assert paid - datetime.fromisoformat(shipped) == timedelta(days=17)
    assert counted.payout_minutes == 17 * DAY
    assert counted.operator_touches == sum(s["actor"] == "operator" for s in accepted) == 1
    assert counted.seller_requests == 1
    assert [s["action"] for s in accepted if s["actor"] == "seller"] == [
        "ship",
        "request_operator",
        "rate",
    ]


def _replayed(script: dict):
    """Replay a traced trade as `furima timeline` does, keeping the engine's decisions."""
    parsed = parse_script(script)
    snapshot = TradeSnapshot.new(
        policy_id=parsed.policy.id,
        policy_version=parsed.policy.version,
        price=parsed.price,
        ship_within=parsed.ship_within,
    )
    run = Replay(parsed.policy, snapshot)
    for event in parsed.events:
        run.run_timers(event.at)
        run.apply(event.at, event.command)
    run.run_timers(parsed.until)
    return run


@pytest.mark.parametrize("reference", POLICIES)
@pytest.mark.parametrize(
    "behaviour", [busy(), load_behaviour(BEHAVIOUR_2016)], ids=["busy", "2016"]
)
def test_every_simulated_trade_replays_to_the_same_figures_in_the_timeline(reference, behaviour):
    for index in range(80):
        script, counted, _ = trace(policy(reference), behaviour, 5, index)
        run = _replayed(script)
        accepted = [(at, c, d) for at, c, d in run.decisions if isinstance(d, Accepted)]
        shipped_at = run.snapshot.shipped_at
        payouts = [at for at, _, d in accepted for p in d.postings if p.amount_for(SELLER) > 0]
        expected_payout = (payouts[0] - shipped_at) // timedelta(minutes=1) if payouts else None
        assert counted.payout_minutes == expected_payout, index
        assert counted.fees == sum(
            p.amount_for(PLATFORM_FEES) for _, _, d in accepted for p in d.postings
        )
        assert counted.operator_touches == sum(c.actor is Actor.OPERATOR for _, c, _ in accepted)
        final = run.snapshot.state
        assert (counted.outcome == "cancelled") == (final is State.CANCELLED), index
        assert (counted.outcome == "unfinished") == (
            final not in (State.COMPLETED, State.CANCELLED)
        ), index


def test_progress_is_reported_for_every_trade():
    seen = []
    simulate(policy("furima"), load_behaviour(), 2_500, seed=1, progress=seen.append)
    assert sum(seen) == 2_500


def test_the_figures_do_not_depend_on_the_number_of_processes():
    behaviour, chosen = load_behaviour(), policy("furima")
    trades = 2 * BATCH + 345  # a partial last block too
    alone = simulate(chosen, behaviour, trades, seed=11).as_dict()
    assert alone["trades"] == trades
    for jobs in (2, 3):
        assert simulate(chosen, behaviour, trades, seed=11, jobs=jobs).as_dict() == alone, jobs


def test_progress_counts_every_trade_once_across_processes():
    seen = []
    simulate(policy("furima"), load_behaviour(), 2_345, seed=1, jobs=2, progress=seen.append)
    assert sum(seen) == 2_345


def test_a_trade_meets_the_same_people_whatever_block_it_runs_in():
    behaviour = load_behaviour()
    # nth_persona (what --trace replays) reads the same block stream the run draws from.
    rng = block_rng(5, 1)
    drawn = [draw_persona(rng, behaviour) for _ in range(3)]
    assert [nth_persona(behaviour, 5, BATCH + i) for i in range(3)] == drawn


def _peak_bytes(trades: int) -> int:
    behaviour, chosen = load_behaviour(), policy("furima")
    tracemalloc.start()
    try:
        simulate(chosen, behaviour, trades, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_trades():
    # A run holds one batch of drawn personas at a time: compare runs of one and five batches.
    # Bounded caches (answers per date in when.py, minute deltas in trade.py) fill with every
    # new value a run meets, so warm them with the longer run first: the shorter run meets a
    # prefix of the same trades, and what is left to differ is memory held per trade.
    simulate(policy("furima"), load_behaviour(), 5 * BATCH, seed=1)
    small, large = _peak_bytes(BATCH), _peak_bytes(5 * BATCH)
    assert large < small * 1.1 + 64 * 1024

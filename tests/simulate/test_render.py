"""The printed figures: shares that add up, and the same numbers in text, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from furima.process import default_registry
from furima.simulate import load_behaviour, render, simulate
from furima.simulate.summary import OUTCOMES, Tally, TradeResult
from tests.simulate.models import BEHAVIOUR_2016

outcome_counts = st.lists(
    st.integers(min_value=0, max_value=10**9), min_size=len(OUTCOMES), max_size=len(OUTCOMES)
).filter(any)


@given(outcome_counts)
def test_the_share_columns_add_up_to_100_percent(counts):
    tally = Tally(horizon_minutes=60)
    tally.trades = sum(counts)
    tally.outcomes = dict(zip(OUTCOMES, counts, strict=True))
    assert abs(sum(tally.shares().values()) - 100.0) < 1e-9
    shown = render.rounded_shares(counts)
    assert round(sum(shown), 6) == 100.0
    assert all(
        abs(s - 100 * c / sum(counts)) < 0.1 + 1e-9 for s, c in zip(shown, counts, strict=True)
    )


@given(st.lists(st.sampled_from(OUTCOMES), min_size=1, max_size=200))
def test_the_shares_of_simulated_outcomes_add_up_to_100_percent(outcomes):
    tally = Tally(horizon_minutes=60)
    for outcome in outcomes:
        tally.add(TradeResult(outcome=outcome))
    assert abs(sum(tally.shares().values()) - 100.0) < 1e-9
    assert round(sum(render.rounded_shares(list(tally.outcomes.values()))), 6) == 100.0


def _summaries(trades=200):
    behaviour = load_behaviour(BEHAVIOUR_2016)
    registry = default_registry()
    return behaviour, [
        simulate(registry.resolve(p), behaviour, trades, seed=2)
        for p in ("rakuma-2016", "mercari-2016", "furima")
    ]


def test_the_text_table_shows_the_policies_side_by_side_and_its_shares_add_up():
    behaviour, summaries = _summaries()
    table = render.text(summaries, behaviour, 200, 2)
    header = table.splitlines()[2].split()
    assert header == ["rakuma-2016@1", "mercari-2016@1", "furima@2"]
    block = table.split("\n\n")[1]  # the overall figures, before the cohorts
    share_rows = [
        line for line in block.splitlines() if line.startswith(("completed", "cancelled", "unfin"))
    ]
    assert len(share_rows) == len(OUTCOMES)
    for column in range(3):
        values = [float(row.split()[-3 + column]) for row in share_rows]
        assert round(sum(values), 6) == 100.0


def test_json_and_csv_carry_the_same_figures():
    behaviour, summaries = _summaries()
    document = json.loads(render.as_json(summaries, behaviour, 200, 2))
    rows = list(csv.DictReader(io.StringIO(render.as_csv(summaries))))
    totals = [row for row in rows if row["cohort"] == "total"]
    assert [row["policy"] for row in totals] == [p["policy"] for p in document["policies"]]
    for row, figures in zip(totals, document["policies"], strict=True):
        assert float(row["payout_p50_days"]) == figures["payout_days"]["p50"]
        assert int(row["fees_yen"]) == figures["fees_yen"]
        assert float(row["share_buyer_percent"]) == figures["shares_percent"]["buyer"]
    assert len(rows) == 3 * (1 + len(behaviour.cohorts))

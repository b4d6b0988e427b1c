"""The simulator counts buyer protection after the payout (furima@2) apart from the rest."""

from __future__ import annotations

from furima.process import default_registry
from furima.simulate import load_behaviour, simulate
from tests.simulate.models import EVERYBODY, replace_line

TRADES = 3000


def _both(behaviour=None):
    behaviour = behaviour or load_behaviour()
    registry = default_registry()
    return [
        simulate(registry.resolve(key), behaviour, TRADES, seed=5, jobs=1).as_dict()
        for key in ("furima@1", "furima@2")
    ]


def test_version_2_turns_the_waited_out_buyers_into_claims_without_slowing_payouts():
    v1, v2 = _both()
    problem_v1, problem_v2 = v1["cohorts"]["problem"], v2["cohorts"]["problem"]
    assert problem_v1["waited_out"] > 0
    assert problem_v2["waited_out"] < problem_v1["waited_out"] / 10
    assert v2["claims_after_payout"] >= problem_v1["waited_out"] - problem_v2["waited_out"]
    assert v1["claims_after_payout"] == 0
    assert v2["payout_minutes"]["p99"] <= v1["payout_minutes"]["p99"]


def test_every_refunded_yen_is_recovered_from_the_seller_or_paid_by_the_guarantee():
    _, v2 = _both()
    assert v2["refunds_after_payout"] > 0
    assert v2["refunded_after_payout_yen"] == (
        v2["recovered_from_sellers_yen"] + v2["guarantee_paid_yen"]
    )


def test_when_every_seller_has_withdrawn_the_guarantee_pays_every_refund(tmp_path):
    text = EVERYBODY.replace(
        "[seller]\n", "[seller]\nwithdrawn_before_claim_probability = 1.0\n", 1
    )
    text = replace_line("problem_probability", "problem_probability = 0.2", text)
    text = replace_line("problem_after_hours", "problem_after_hours = 120", text)
    path = tmp_path / "withdrawn.toml"
    path.write_text(text, encoding="utf-8")
    _, v2 = _both(load_behaviour(path))
    assert v2["refunded_after_payout_yen"] > 0
    assert v2["recovered_from_sellers_yen"] == 0
    assert v2["guarantee_paid_yen"] == v2["refunded_after_payout_yen"]


def test_checking_the_item_on_the_last_reminder_saves_buyers_under_version_1(tmp_path):
    never = replace_line(
        "checks_on_reminder_probability", "checks_on_reminder_probability = 0.0", _problems()
    )
    always = replace_line(
        "checks_on_reminder_probability", "checks_on_reminder_probability = 1.0", _problems()
    )
    waited = []
    for name, text in (("never", never), ("always", always)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        policy = default_registry().resolve("furima@1")
        waited.append(simulate(policy, load_behaviour(path), TRADES, seed=5).total.waited_out)
    assert waited[1] < waited[0]


def _problems() -> str:
    text = EVERYBODY
    if "checks_on_reminder_probability" not in text:
        text = text.replace("[buyer]\n", "[buyer]\nchecks_on_reminder_probability = 0.5\n", 1)
    text = replace_line("problem_after_hours", "problem_after_hours = 120", text)
    return replace_line("problem_probability", "problem_probability = 0.3", text)

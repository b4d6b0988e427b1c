"""Random quantities of the behaviour model: what a value means, and the fixed cost of a draw."""

from __future__ import annotations

from random import Random

import pytest

from furima.simulate.distributions import (
    Choice,
    DayProbabilities,
    Delay,
    DistributionError,
    nth_trial,
)


def test_a_number_of_hours_is_always_that_long():
    assert {Delay.parse(17).draw(Random(seed)) for seed in range(20)} == {17 * 60}


def test_a_histogram_draws_inside_its_ranges_by_weight():
    delay = Delay.parse({"0-1": 3, "10-11": 1})
    draws = [delay.draw(Random(seed)) for seed in range(2000)]
    low = [d for d in draws if d <= 60]
    assert all(d <= 60 or 600 <= d <= 660 for d in draws)
    assert 0.70 < len(low) / len(draws) < 0.80


def test_day_probabilities_leave_the_rest_to_never():
    days = DayProbabilities.parse([0.5, 0.25])
    assert days.never == pytest.approx(0.25)
    draws = [days.draw(Random(seed)) for seed in range(2000)]
    assert all(d is None or 0 <= d < 2 * 1440 for d in draws)
    assert 0.2 < draws.count(None) / len(draws) < 0.3


def test_an_empty_day_list_is_never():
    assert DayProbabilities.parse([]).draw(Random(1)) is None


def test_a_choice_picks_only_its_values():
    choice = Choice.parse({"300": 1, "1000": 2}, int)
    assert {choice.draw(Random(seed)) for seed in range(50)} == {300, 1000}


@pytest.mark.parametrize(
    "draw",
    [
        lambda rng: Delay.parse({"0-1": 1, "5-6": 1}).draw(rng),
        lambda rng: Delay.parse(24).draw(rng),
        lambda rng: DayProbabilities.parse([0.1]).draw(rng),
        lambda rng: nth_trial(rng, 0.3),
        lambda rng: nth_trial(rng, 0.0),
    ],
)
def test_every_draw_uses_the_same_amount_of_randomness_whatever_it_returns(draw):
    # So trade i meets the same people under every policy.
    class Counting(Random):
        calls = 0

        def random(self):
            self.calls += 1
            return super().random()

    counts = set()
    for seed in range(50):
        rng = Counting(seed)
        draw(rng)
        counts.add(rng.calls)
    assert len(counts) == 1


def test_the_nth_trial_follows_the_probability():
    assert nth_trial(Random(1), 1.0) == 1
    assert nth_trial(Random(1), 0.0) is None
    firsts = [nth_trial(Random(seed), 0.5) for seed in range(2000)]
    assert 0.45 < firsts.count(1) / len(firsts) < 0.55


def test_a_weight_must_be_a_number():
    with pytest.raises(DistributionError, match="must be a number"):
        Delay.parse({"1-2": "lots"})

"""The three kinds of random quantity a behaviour model is written in.

* ``Delay``: a duration in hours, written either as one number (always that long) or as a
  histogram of ranges with relative weights, ``{ "0-12" = 30, "12-48" = 60, "48-168" = 10 }``
  (pick a range by weight, then a point uniformly inside it). Draws are whole minutes.
* ``Choice``: one of a few values by relative weight, ``{ 300 = 20, 1000 = 50 }``.
* ``DayProbabilities``: ``[p0, p1, …]``, the probability that something happens on day k
  (the k-th 24 hours) after an anchor; what is left over is "never".

Every draw consumes the same number of random numbers whatever it returns. The simulator
draws one trade's whole persona up front, so trade i meets the same buyer and seller under
every policy (common random numbers) and one policy's outcome cannot shift another's draws.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

_T = TypeVar("_T")

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR

Uniform = Callable[[], float]
"""A random generator's `random` method. The simulator draws a persona's values from it
rather than from the generator: reading `rng.random` builds a new bound method every time,
a sixth of a delay's draw."""

_RANGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$")


class DistributionError(ValueError):
    """A value that is not a valid distribution; the message says why (the key is added by
    the caller, who knows where the value came from)."""


def _weights(values: list[object], where: str) -> tuple[float, ...]:
    """Cumulative shares ending in exactly 1.0 (x / x is exact), so bisecting a random
    number in [0, 1) always lands on an index."""
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DistributionError(f"weight of {where} must be a number, not {value!r}")
        if value < 0 or math.isnan(value) or math.isinf(value):
            raise DistributionError(f"weight of {where} must be 0 or more, not {value!r}")
    if not any(values):
        raise DistributionError("needs at least one weight above 0")
    running = [float(c) for c in accumulate(values)]  # type: ignore[arg-type]
    return tuple(c / running[-1] for c in running)


@dataclass(frozen=True, slots=True)
class Delay:
    """A duration in hours: ranges ``(low, high)`` chosen by weight, uniform inside."""

    ranges: tuple[tuple[float, float], ...]
    cumulative: tuple[float, ...]

    @classmethod
    def fixed(cls, hours: float) -> Delay:
        return cls(ranges=((hours, hours),), cumulative=(1.0,))

    @classmethod
    def parse(cls, raw: object) -> Delay:
        if isinstance(raw, bool):
            raise DistributionError(f"must be hours or a table of ranges, not {raw!r}")
        if isinstance(raw, int | float):
            if raw < 0 or math.isnan(raw) or math.isinf(raw):
                raise DistributionError(f"hours must be 0 or more, not {raw!r}")
            return cls.fixed(float(raw))
        if not isinstance(raw, dict) or not raw:
            raise DistributionError(
                f'must be hours (e.g. 24) or a table like {{ "0-12" = 3, "12-48" = 1 }}, '
                f"not {raw!r}"
            )
        ranges = []
        for text in raw:
            match = _RANGE_RE.match(text)
            if match is None:
                raise DistributionError(f"range {text!r} is not HOURS or LOW-HIGH (e.g. '12-48')")
            low = float(match[1])
            high = float(match[2]) if match[2] is not None else low
            if high < low:
                raise DistributionError(f"range {text!r} ends before it starts")
            ranges.append((low, high))
        return cls(ranges=tuple(ranges), cumulative=_weights(list(raw.values()), "a range"))

    @property
    def max_hours(self) -> float:
        return max(high for _, high in self.ranges)

    def draw(self, rng: Random) -> int:
        """Minutes; two random numbers per draw."""
        return self.sample(rng.random)

    def sample(self, random: Uniform) -> int:
        """`draw`, from the generator's `random` method (the simulator's hottest few lines)."""
        low, high = self.ranges[bisect_right(self.cumulative, random())]
        return round((low + (high - low) * random()) * MINUTES_PER_HOUR)

    @staticmethod
    def skip(random: Uniform) -> None:
        """Use up a draw's two random numbers without computing it, for a value the caller
        knows it will not use (a buyer who never writes has no message delay): the draws
        after it stay the same, and it costs a fifth of a draw."""
        random()
        random()


@dataclass(frozen=True, slots=True)
class Choice(Generic[_T]):
    """One of `values` by relative weight."""

    values: tuple[_T, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def parse(cls, raw: object, convert: Callable[[str], _T]) -> Choice[_T]:
        if not isinstance(raw, dict) or not raw:
            raise DistributionError(f"must be a table of value = weight, not {raw!r}")
        values: list[_T] = []
        for key in raw:
            try:
                values.append(convert(key))
            except ValueError as error:
                raise DistributionError(str(error)) from None
        return cls(values=tuple(values), cumulative=_weights(list(raw.values()), "a value"))

    def draw(self, rng: Random) -> _T:
        """One random number per draw."""
        return self.sample(rng.random)

    def sample(self, random: Uniform) -> _T:
        """`draw`, from the generator's `random` method."""
        return self.values[bisect_right(self.cumulative, random())]


@dataclass(frozen=True, slots=True)
class DayProbabilities:
    """P(day k) for k = 0, 1, …; the rest of the probability is "never"."""

    cumulative: tuple[float, ...]

    @classmethod
    def parse(cls, raw: object) -> DayProbabilities:
        if not isinstance(raw, list):
            raise DistributionError(f"must be a list of probabilities per day, not {raw!r}")
        for value in raw:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DistributionError(f"every entry must be a probability, not {value!r}")
            if not 0 <= value <= 1:
                raise DistributionError(f"every entry must be between 0 and 1, not {value!r}")
        cumulative = tuple(accumulate(float(v) for v in raw))
        if cumulative and cumulative[-1] > 1 + 1e-9:
            raise DistributionError(f"probabilities add up to {cumulative[-1]:g}, more than 1")
        return cls(cumulative=cumulative)

    @property
    def never(self) -> float:
        return 1.0 - (self.cumulative[-1] if self.cumulative else 0.0)

    def draw(self, rng: Random) -> int | None:
        """Minutes after the anchor (day k plus a uniform time inside it), or None for never;
        two random numbers per draw."""
        return self.sample(rng.random)

    def sample(self, random: Uniform) -> int | None:
        """`draw`, from the generator's `random` method."""
        u, within = random(), random()
        day = bisect_right(self.cumulative, u)
        if day >= len(self.cumulative):
            return None
        return day * MINUTES_PER_DAY + int(within * MINUTES_PER_DAY)


def happens(rng: Random, probability: float) -> bool:
    """One random number per draw."""
    return rng.random() < probability


def nth_trial(rng: Random, probability: float, cap: int = 99) -> int | None:
    """The first of a run of independent trials that succeeds (1-based), or None if none
    does by `cap`; one random number per draw (inverse of the geometric distribution)."""
    return nth_trial_sample(rng.random, probability, cap)


def nth_trial_sample(random: Uniform, probability: float, cap: int = 99) -> int | None:
    """`nth_trial`, from the generator's `random` method."""
    u = 1.0 - random()  # in (0, 1]
    if probability <= 0:
        return None
    if probability >= 1:
        return 1
    n = 1 + math.floor(math.log(u) / math.log1p(-probability))
    return n if n <= cap else None

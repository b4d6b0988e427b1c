"""Streaming aggregation: what a million trades add up to, in memory that does not grow.

Each simulated trade is folded into a ``Tally`` and forgotten. The only per-value structure
is the payout-delay histogram, one counter per minute up to the simulation horizon: its
size is fixed by the horizon (120 days = 172,801 four-byte counters), not by the number of
trades, and percentiles read off it are exact to the minute.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field

from furima.simulate.distributions import MINUTES_PER_DAY, MINUTES_PER_HOUR

OUTCOMES = ("buyer", "proxy", "automatic", "cancelled", "unfinished")
"""How a trade ended: completed after the buyer's own receipt evaluation, after the
operator's proxy rating, after the engine's automatic evaluation; cancelled; or still open
at the horizon."""

PERCENTILES = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99))


@dataclass(slots=True)
class TradeResult:
    """What one simulated trade contributes to the figures."""

    outcome: str
    payout_minutes: int | None = None  # shipping notice → the step that pays the seller
    operator_touches: int = 0
    seller_reminders: int = 0
    seller_requests: int = 0
    seller_ratings_needed: int = 0  # seller ratings the payout waited for
    problem_reported: bool = False
    waited_out: bool = False  # the buyer's problem report came too late and was refused
    fees: int = 0
    claim_after_payout: bool = False  # a problem reported after the seller was paid
    refunded_after_payout: int = 0  # yen refunded to the buyer after the payout
    recovered_from_seller: int = 0  # … of which the seller's sales balance paid
    guarantee_paid: int = 0  # … and the platform guarantee the rest


class MinuteHistogram:
    """Counts of whole minutes from 0 to `limit`; fixed size, exact percentiles."""

    __slots__ = ("counts", "total")

    def __init__(self, limit: int) -> None:
        self.counts = array("I", [0]) * (limit + 1)
        self.total = 0

    def add(self, minutes: int) -> None:
        self.counts[minutes] += 1
        self.total += 1

    def absorb(self, other: MinuteHistogram) -> None:
        """Add another histogram's counts (of the same horizon) to this one."""
        counts = self.counts
        for minute, count in enumerate(other.counts):
            if count:
                counts[minute] += count
        self.total += other.total

    def percentiles(self) -> dict[str, int | None]:
        """Nearest-rank p50/p90/p99 and the max, in minutes (None when empty)."""
        found: dict[str, int | None] = {name: None for name, _ in PERCENTILES}
        found["max"] = None
        if not self.total:
            return found
        ranks = [(name, max(1, math.ceil(q * self.total))) for name, q in PERCENTILES]
        seen = 0
        for minute, count in enumerate(self.counts):
            if not count:
                continue
            seen += count
            while ranks and seen >= ranks[0][1]:
                found[ranks.pop(0)[0]] = minute
            found["max"] = minute
        return found

    def by_hour(self) -> list[int]:
        """Counts per whole hour, for charts."""
        hours = [0] * (len(self.counts) // MINUTES_PER_HOUR + 1)
        for minute, count in enumerate(self.counts):
            if count:
                hours[minute // MINUTES_PER_HOUR] += count
        return hours


@dataclass(slots=True)
class Tally:
    """The running totals for one policy (or one cohort under one policy)."""

    horizon_minutes: int
    trades: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    payouts: MinuteHistogram = field(init=False)
    operator_touches: int = 0
    seller_reminders: int = 0
    seller_requests: int = 0
    seller_ratings_needed: int = 0
    problems_reported: int = 0
    waited_out: int = 0
    fees: int = 0
    claims_after_payout: int = 0
    refunds_after_payout: int = 0
    refunded_after_payout: int = 0
    recovered_from_sellers: int = 0
    guarantee_paid: int = 0

    def __post_init__(self) -> None:
        self.payouts = MinuteHistogram(self.horizon_minutes)

    def add(self, result: TradeResult) -> None:
        self.trades += 1
        self.outcomes[result.outcome] += 1
        if result.payout_minutes is not None:
            self.payouts.add(result.payout_minutes)
        self.operator_touches += result.operator_touches
        self.seller_reminders += result.seller_reminders
        self.seller_requests += result.seller_requests
        self.seller_ratings_needed += result.seller_ratings_needed
        self.problems_reported += result.problem_reported
        self.waited_out += result.waited_out
        self.fees += result.fees
        if result.claim_after_payout:
            self.claims_after_payout += 1
            if result.refunded_after_payout:
                self.refunds_after_payout += 1
                self.refunded_after_payout += result.refunded_after_payout
                self.recovered_from_sellers += result.recovered_from_seller
                self.guarantee_paid += result.guarantee_paid

    def absorb(self, other: Tally) -> None:
        """Add another tally's figures to this one: a run keeps one tally per cohort and sums
        them once at the end, rather than adding every trade twice."""
        self.trades += other.trades
        for name, count in other.outcomes.items():
            self.outcomes[name] += count
        self.payouts.absorb(other.payouts)
        for name in _COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def seller_actions(self) -> int:
        return self.seller_reminders + self.seller_requests + self.seller_ratings_needed

    def shares(self) -> dict[str, float]:
        """Percent of trades per outcome; they add up to 100 (when there are trades)."""
        if not self.trades:
            return dict.fromkeys(OUTCOMES, 0.0)
        return {name: 100.0 * count / self.trades for name, count in self.outcomes.items()}

    def per_trade(self, count: int) -> float:
        return count / self.trades if self.trades else 0.0

    def as_dict(self) -> dict:
        payout = self.payouts.percentiles()
        return {
            "trades": self.trades,
            "payout_days": {
                name: None if minutes is None else round(minutes / MINUTES_PER_DAY, 4)
                for name, minutes in payout.items()
            },
            "payout_minutes": payout,
            "paid_out": self.payouts.total,
            "outcomes": dict(self.outcomes),
            "shares_percent": {name: round(share, 6) for name, share in self.shares().items()},
            "operator_touches": self.operator_touches,
            "operator_touches_per_1000": round(1000 * self.per_trade(self.operator_touches), 6),
            "seller_actions_per_trade": round(self.per_trade(self.seller_actions), 6),
            "seller_reminders_per_trade": round(self.per_trade(self.seller_reminders), 6),
            "seller_requests_per_trade": round(self.per_trade(self.seller_requests), 6),
            "seller_ratings_needed_per_trade": round(self.per_trade(self.seller_ratings_needed), 6),
            "problems_reported": self.problems_reported,
            "waited_out": self.waited_out,
            "waited_out_per_100000": round(100_000 * self.per_trade(self.waited_out), 6),
            "fees_yen": self.fees,
            "claims_after_payout": self.claims_after_payout,
            "refunds_after_payout": self.refunds_after_payout,
            "refunded_after_payout_yen": self.refunded_after_payout,
            "recovered_from_sellers_yen": self.recovered_from_sellers,
            "guarantee_paid_yen": self.guarantee_paid,
            "guarantee_paid_yen_per_1000": round(1000 * self.per_trade(self.guarantee_paid), 6),
        }


_COUNTERS = (
    "operator_touches",
    "seller_reminders",
    "seller_requests",
    "seller_ratings_needed",
    "problems_reported",
    "waited_out",
    "fees",
    "claims_after_payout",
    "refunds_after_payout",
    "refunded_after_payout",
    "recovered_from_sellers",
    "guarantee_paid",
)


@dataclass(slots=True)
class Summary:
    """The figures for one policy: overall and per cohort."""

    policy: str  # "id@version"
    behaviour: str
    seed: int
    horizon_days: int
    total: Tally
    cohorts: dict[str, Tally]

    @classmethod
    def empty(cls, *, policy: str, behaviour: str, seed: int, horizon_days: int, cohorts):
        minutes = horizon_days * MINUTES_PER_DAY
        return cls(
            policy=policy,
            behaviour=behaviour,
            seed=seed,
            horizon_days=horizon_days,
            total=Tally(minutes),
            cohorts={name: Tally(minutes) for name in cohorts},
        )

    def as_dict(self) -> dict:
        return {
            "policy": self.policy,
            "behaviour": self.behaviour,
            "seed": self.seed,
            "horizon_days": self.horizon_days,
            **self.total.as_dict(),
            "cohorts": {name: tally.as_dict() for name, tally in self.cohorts.items()},
        }

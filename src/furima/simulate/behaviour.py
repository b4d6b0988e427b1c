"""The behaviour model: how buyers, sellers, carriers and the support desk act, as a TOML file.

The simulator's answers are only as good as this model, so the model is a plain file a
person can read, argue with and edit (``examples/behaviour-default.toml`` documents every
key). The top-level ``[seller]``, ``[buyer]`` and ``[carrier]`` tables describe everybody;
each ``[[cohort]]`` is a kind of trade with a relative ``weight`` and may override any of
those keys in its own ``[cohort.seller]``, ``[cohort.buyer]``, ``[cohort.carrier]`` tables.
Without cohorts the whole population is one cohort named ``all``.

Every problem is reported as ``FILE: KEY: REASON`` (the same shape as a bad policy file), so
``furima simulate`` can fail with one line that says what to fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from furima.process.model import SHIP_WITHIN_CHOICES
from furima.simulate.distributions import (
    Choice,
    DayProbabilities,
    Delay,
    DistributionError,
)

DEFAULT_BEHAVIOUR = Path(__file__).with_name("behaviour-default.toml")
TOKYO = ZoneInfo("Asia/Tokyo")
MAX_HORIZON_DAYS = 366


class BehaviourError(ValueError):
    """A behaviour file that cannot be used, with where and why."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        super().__init__(f"{source}: {key}: {reason}")


# ------------------------------------------------------------------ value parsers


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise DistributionError(f"must be a number, not {raw!r}")
    return float(raw)


def _probability(raw: object) -> float:
    value = _number(raw)
    if not 0 <= value <= 1:
        raise DistributionError(f"must be a probability between 0 and 1, not {raw!r}")
    return value


def _positive_hours(raw: object) -> float:
    value = _number(raw)
    if value <= 0:
        raise DistributionError(f"must be more than 0 hours, not {raw!r}")
    return value


def _count(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise DistributionError(f"must be a whole number, 0 or more, not {raw!r}")
    return raw


def _price(key: str) -> int:
    if not key.isdigit() or int(key) < 1:
        raise ValueError(f"price {key!r} is not a whole number of yen, 1 or more")
    return int(key)


def _ship_within(key: str) -> str:
    if key not in SHIP_WITHIN_CHOICES:
        raise ValueError(f"ship-within {key!r} is not one of {', '.join(SHIP_WITHIN_CHOICES)}")
    return key


Parser = Callable[[object], Any]

SELLER_KEYS: dict[str, Parser] = {
    "never_ships_probability": _probability,
    "shipping_delay_hours": Delay.parse,
    "reminds_probability": _probability,
    "first_reminder_after_hours": Delay.parse,
    "reminder_every_hours": _positive_hours,
    "max_reminders": _count,
    "asks_operator_probability": _probability,
    "asks_operator_after_hours": Delay.parse,
    "never_rates_probability": _probability,
    "rating_delay_hours": Delay.parse,
    "withdrawn_before_claim_probability": _probability,
}
BUYER_KEYS: dict[str, Parser] = {
    "rates_on_day": DayProbabilities.parse,
    "reminder_response_probability": _probability,
    "reminder_response_hours": Delay.parse,
    "message_probability": _probability,
    "message_after_hours": Delay.parse,
    "problem_probability": _probability,
    "problem_after_hours": Delay.parse,
    "checks_on_reminder_probability": _probability,
    "cancel_after_hours": Delay.parse,
}
CARRIER_KEYS: dict[str, Parser] = {
    "transit_hours": Delay.parse,
    "tracked_share": _probability,
}
OPERATOR_KEYS: dict[str, Parser] = {
    "review_hours": Delay.parse,
    "problem_refund_probability": _probability,
    "partial_refund_probability": _probability,
    "partial_refund_share": _probability,
}
OPTIONAL: dict[str, object] = {
    # Keys added with buyer protection after the payout (furima@2); a model written before
    # them behaves as it did: nobody checks on a reminder, no seller has withdrawn the money,
    # every refund is a full one.
    "withdrawn_before_claim_probability": 0.0,
    "checks_on_reminder_probability": 0.0,
    "partial_refund_probability": 0.0,
    "partial_refund_share": 0.5,
}
PARTY_TABLES: dict[str, dict[str, Parser]] = {
    "seller": SELLER_KEYS,
    "buyer": BUYER_KEYS,
    "carrier": CARRIER_KEYS,
}


# ------------------------------------------------------------------ the model


@dataclass(frozen=True, slots=True)
class Cohort:
    """One kind of trade: its parties' habits (each a mapping of key → parsed value)."""

    name: str
    weight: float
    seller: Mapping[str, Any]
    buyer: Mapping[str, Any]
    carrier: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Behaviour:
    source: str
    name: str
    description: str
    epoch: datetime
    purchase_window_days: int
    horizon_days: int
    prices: Choice[int]
    ship_within: Choice[str]
    operator: Mapping[str, Any]
    cohorts: tuple[Cohort, ...]
    cohort_choice: Choice[int]  # draws a cohort index


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, reason: str) -> BehaviourError:
        return BehaviourError(self.source, key, reason)

    def table(self, raw: Mapping[str, Any], key: str, path: str, *, required: bool) -> dict:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(path, "missing table")
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, "must be a table")
        return value

    def parse(
        self,
        raw: Mapping[str, Any],
        path: str,
        keys: Mapping[str, Parser],
        inherited: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Every key of `keys`, from `raw` or else `inherited`; unknown keys are mistakes."""
        for key in raw:
            if key not in keys:
                raise self.fail(f"{path}.{key}", f"unknown key (allowed: {', '.join(keys)})")
        parsed = {}
        for key, parser in keys.items():
            if key in raw:
                try:
                    parsed[key] = parser(raw[key])
                except DistributionError as error:
                    raise self.fail(f"{path}.{key}", str(error)) from None
            elif inherited is not None:
                parsed[key] = inherited[key]
            elif key in OPTIONAL:
                parsed[key] = parser(OPTIONAL[key])
            else:
                raise self.fail(f"{path}.{key}", "missing")
        return parsed

    def value(self, raw: Mapping[str, Any], key: str, path: str, kind: type, default=...):
        if key not in raw:
            if default is ...:
                raise self.fail(path, "missing")
            return default
        value = raw[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(path, f"must be a whole number, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(path, f"must be a {kind.__name__}, not {value!r}")
        return value


_TOP_LEVEL = {"name", "description", "simulation", "trade", "operator", "cohort", *PARTY_TABLES}


def behaviour_from_toml(text: str, *, source: str) -> Behaviour:
    """Parse and validate one behaviour file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BehaviourError(source, "(file)", f"not valid TOML: {error}") from None
    r = _Reader(source)
    for key in data:
        if key not in _TOP_LEVEL:
            raise r.fail(key, f"unknown key (allowed: {', '.join(sorted(_TOP_LEVEL))})")

    simulation = r.table(data, "simulation", "simulation", required=True)
    allowed = ("epoch", "purchase_window_days", "horizon_days")
    for key in simulation:
        if key not in allowed:
            raise r.fail(f"simulation.{key}", f"unknown key (allowed: {', '.join(allowed)})")
    epoch = r.value(simulation, "epoch", "simulation.epoch", datetime)
    if epoch.tzinfo is None:
        raise r.fail("simulation.epoch", "needs a UTC offset, e.g. 2016-12-01T00:00:00+09:00")
    window = r.value(simulation, "purchase_window_days", "simulation.purchase_window_days", int, 1)
    if window < 1:
        raise r.fail("simulation.purchase_window_days", f"must be 1 or more, not {window}")
    horizon = r.value(simulation, "horizon_days", "simulation.horizon_days", int)
    if not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise r.fail(
            "simulation.horizon_days", f"must be between 1 and {MAX_HORIZON_DAYS}, not {horizon}"
        )

    trade = r.table(data, "trade", "trade", required=True)
    trade_keys: dict[str, Parser] = {
        "price_yen": lambda raw: Choice.parse(raw, _price),
        "ship_within": lambda raw: Choice.parse(raw, _ship_within),
    }
    trade_values = r.parse(trade, "trade", trade_keys)
    operator = r.parse(
        r.table(data, "operator", "operator", required=True), "operator", OPERATOR_KEYS
    )

    everybody = {
        name: r.parse(r.table(data, name, name, required=True), name, keys)
        for name, keys in PARTY_TABLES.items()
    }
    cohorts = _cohorts(r, data, everybody)
    return Behaviour(
        source=source,
        name=r.value(data, "name", "name", str, Path(source).stem),
        description=r.value(data, "description", "description", str, ""),
        epoch=epoch.astimezone(TOKYO),
        purchase_window_days=window,
        horizon_days=horizon,
        prices=trade_values["price_yen"],
        ship_within=trade_values["ship_within"],
        operator=operator,
        cohorts=cohorts,
        cohort_choice=Choice.parse({str(i): c.weight for i, c in enumerate(cohorts)}, int),
    )


def _cohorts(r: _Reader, data: Mapping[str, Any], everybody: dict) -> tuple[Cohort, ...]:
    raw_cohorts = data.get("cohort")
    if raw_cohorts is None:
        return (Cohort(name="all", weight=1.0, **everybody),)
    if not isinstance(raw_cohorts, list) or not raw_cohorts:
        raise r.fail("cohort", "must be an array of tables ([[cohort]])")
    cohorts, names = [], set()
    for index, raw in enumerate(raw_cohorts):
        path = f"cohort[{index}]"
        if not isinstance(raw, dict):
            raise r.fail(path, "must be a table")
        for key in raw:
            if key not in ("name", "weight", *PARTY_TABLES):
                allowed = ", ".join(("name", "weight", *PARTY_TABLES))
                raise r.fail(f"{path}.{key}", f"unknown key (allowed: {allowed})")
        name = r.value(raw, "name", f"{path}.name", str)
        if not name or name in names:
            raise r.fail(f"{path}.name", f"must be a unique, non-empty name, not {name!r}")
        names.add(name)
        weight = raw.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise r.fail(f"{path}.weight", f"must be a number above 0, not {weight!r}")
        parties = {
            party: r.parse(
                r.table(raw, party, f"{path}.{party}", required=False),
                f"{path}.{party}",
                keys,
                inherited=everybody[party],
            )
            for party, keys in PARTY_TABLES.items()
        }
        cohorts.append(Cohort(name=name, weight=float(weight), **parties))
    return tuple(cohorts)


def load_behaviour(path: Path | str | None = None) -> Behaviour:
    """Read a behaviour file; None means the model shipped with furima."""
    path = DEFAULT_BEHAVIOUR if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BehaviourError(str(path), "(file)", "no such file") from None
    except UnicodeDecodeError:
        raise BehaviourError(str(path), "(file)", "not UTF-8 text") from None
    except OSError as error:
        raise BehaviourError(str(path), "(file)", f"cannot read: {error.strerror}") from None
    return behaviour_from_toml(text, source=str(path))

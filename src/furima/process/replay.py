"""Replay a scripted trade through the engine, with no database: ``furima timeline``.

The script names a policy and lists events in order. Between events, and after the last one
up to ``until``, the policy's timers fire at their due times as their own steps (actor
``system``, or ``operator`` for the operator's automated proxy rating). The result is the
list of steps and the trade's final state, shaped as CONTRACT.md describes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from furima.process.commands import Command
from furima.process.deadlines import deadlines
from furima.process.engine import Accepted, Decision, decide
from furima.process.model import SHIP_WITHIN_CHOICES, Action, Actor, GivenRating, TradeSnapshot
from furima.process.policy import Policy, UnknownPolicy
from furima.process.registry import PolicyRegistry, default_registry
from furima.process.timers import fire_due_timers

DEFAULT_PRICE = 1000
DEFAULT_SHIP_WITHIN = "2-3"
MAX_SCRIPT_SIZE = 1_000_000
"""Characters of script text (bytes of an HTTP body) accepted."""
MAX_EVENTS = 2_000
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(2200, 1, 1, tzinfo=UTC)
"""Times in a script lie in [EARLIEST_TIME, LATEST_TIME): far from the ends of Python's
calendar (years 1 and 9999), where adding a policy's days or moving to Tokyo time overflows."""
_REQUIRED_FIELDS = {Action.RATE: "rating", Action.MESSAGE: "text", Action.REQUEST_CANCEL: "reason"}
_TEXT_FIELDS = ("text", "comment", "reason", "tracking_number")


class ScriptError(ValueError):
    """An invalid script: the message is one line naming the problem and the event."""


@dataclass(frozen=True, slots=True)
class ScriptedEvent:
    at: datetime
    command: Command


@dataclass(frozen=True, slots=True)
class Script:
    policy: Policy
    price: int
    ship_within: str
    events: tuple[ScriptedEvent, ...]
    until: datetime


def parse_time(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise ScriptError(f"{where}: 'at' must be an ISO 8601 string with a UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ScriptError(f"{where}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ScriptError(f"{where}: {value!r} has no UTC offset (write e.g. +09:00 or Z)")
    if not EARLIEST_TIME <= moment < LATEST_TIME:
        raise ScriptError(
            f"{where}: {value!r} is out of range (from {EARLIEST_TIME.year} to before "
            f"{LATEST_TIME.year})"
        )
    return moment


_E = TypeVar("_E", bound=Enum)


def _enum(kind: type[_E], value: object, where: str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise ScriptError(f"{where}: unknown {what} {value!r} (one of {known})") from None


def _parse_event(raw: object, index: int) -> ScriptedEvent:
    where = f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise ScriptError(f"{where}: an event is a JSON object")
    for name in ("at", "actor", "action"):
        if name not in raw:
            raise ScriptError(f"{where}: missing required field {name!r}")
    at = parse_time(raw["at"], where)
    actor = _enum(Actor, raw["actor"], where, "actor")
    action = _enum(Action, raw["action"], where, "action")
    required = _REQUIRED_FIELDS.get(action)
    if required and raw.get(required) is None:
        raise ScriptError(f"{where}: {action} needs the field {required!r}")
    if action is Action.RATE and not isinstance(raw["rating"], str):
        raise ScriptError(f"{where}: 'rating' must be a string such as \"good\"")
    texts = {}
    for name in _TEXT_FIELDS:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ScriptError(f"{where}: {name!r} must be a string")
        texts[name] = value
    refund = raw.get("refund", 0)
    if refund is None:
        refund = 0
    if type(refund) is not int or refund < 0:
        raise ScriptError(f"{where}: 'refund' must be whole yen, 0 or more")
    return ScriptedEvent(
        at=at,
        command=Command(
            actor=actor, action=action, rating=raw.get("rating"), refund=refund, **texts
        ),
    )


def parse_script(data: object, registry: PolicyRegistry | None = None) -> Script:
    """Validate a decoded script; every problem is a ScriptError with one clear line."""
    registry = registry or default_registry()
    if not isinstance(data, Mapping):
        raise ScriptError("the script must be a JSON object with 'policy' and 'events'")
    reference = data.get("policy")
    if not isinstance(reference, str) or not reference:
        raise ScriptError("missing required field 'policy' (a policy id such as \"furima\")")
    try:
        policy = registry.resolve(reference)
    except UnknownPolicy as error:
        raise ScriptError(str(error)) from None
    raw_events = data.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise ScriptError("missing required field 'events' (a non-empty list)")
    if len(raw_events) > MAX_EVENTS:
        raise ScriptError(
            f"events: {len(raw_events):,} events; at most {MAX_EVENTS:,} are replayed"
        )
    events = tuple(_parse_event(raw, index) for index, raw in enumerate(raw_events))
    first = events[0].command
    if (first.actor, first.action) != (Actor.BUYER, Action.PURCHASE):
        raise ScriptError("events[0]: the first event must be the buyer's purchase")
    for index in range(1, len(events)):
        if events[index].at < events[index - 1].at:
            raise ScriptError(
                f"events[{index}]: time goes backwards ({raw_events[index]['at']} is before "
                f"{raw_events[index - 1]['at']})"
            )
    price, ship_within = _purchase_terms(raw_events[0])
    until = events[-1].at
    if data.get("until") is not None:
        until = parse_time(data["until"], "until")
        if until < events[-1].at:
            raise ScriptError("until: is before the last event")
    return Script(policy=policy, price=price, ship_within=ship_within, events=events, until=until)


def _purchase_terms(raw: Mapping[str, Any]) -> tuple[int, str]:
    price = raw.get("price", DEFAULT_PRICE)
    if isinstance(price, bool) or not isinstance(price, int) or price < 1:
        raise ScriptError(
            f"events[0]: 'price' must be a whole number of yen, 1 or more, not {price!r}"
        )
    ship_within = raw.get("ship_within", DEFAULT_SHIP_WITHIN)
    if ship_within not in SHIP_WITHIN_CHOICES:
        choices = ", ".join(SHIP_WITHIN_CHOICES)
        raise ScriptError(f"events[0]: 'ship_within' must be one of {choices}, not {ship_within!r}")
    return price, ship_within


def check_script_size(size: int) -> None:
    if size > MAX_SCRIPT_SIZE:
        raise ScriptError(f"the script is {size:,} long; at most {MAX_SCRIPT_SIZE:,} is accepted")


def load_script(text: str, registry: PolicyRegistry | None = None) -> Script:
    check_script_size(len(text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScriptError(
            f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    return parse_script(data, registry)


# ---------------------------------------------------------------------------- replay


def iso(moment: datetime | None, policy: Policy) -> str | None:
    return None if moment is None else moment.astimezone(policy.zone).isoformat()


def _step(
    at: datetime,
    command: Command,
    decision: Decision,
    snapshot: TradeSnapshot,
    policy: Policy,
    due_at: datetime | None = None,
) -> dict[str, Any]:
    step: dict[str, Any] = {
        "at": iso(at, policy),
        "actor": command.actor.value,
        "action": command.action.value,
        "accepted": decision.accepted,
    }
    if due_at is not None:  # a timer step: when it was due (`at`: when it was applied)
        step["due_at"] = iso(due_at, policy)
    if decision.accepted:
        step["notify"] = list(decision.notify)
        if decision.event.data.get("skipped"):
            step["skipped"] = True
    else:
        step["error"] = decision.code.value
        if decision.allowed_from is not None:
            step["allowed_from"] = iso(decision.allowed_from, policy)
        step["detail"] = decision.detail
    step["state"] = snapshot.state.value if snapshot.state else None
    return step


class Replay:
    """Applies commands and due timers to one trade, recording every step."""

    def __init__(self, policy: Policy, snapshot: TradeSnapshot) -> None:
        self.policy = policy
        self.snapshot = snapshot
        self.steps: list[dict[str, Any]] = []
        self.decisions: list[tuple[datetime, Command, Decision]] = []
        self.clock: datetime | None = None

    def apply(self, at: datetime, command: Command) -> Decision:
        decision = decide(self.snapshot, command, at, self.policy)
        if isinstance(decision, Accepted):
            self.snapshot = decision.snapshot
        self.clock = at
        self.decisions.append((at, command, decision))
        self.steps.append(_step(at, command, decision, self.snapshot, self.policy))
        return decision

    def run_timers(self, limit: datetime) -> None:
        """Fire every timer due at or before `limit`, each at its own due time (the one
        timer loop, `process.timers`)."""
        for step in fire_due_timers(self.snapshot, self.policy, limit, self.clock):
            decision = step.decision
            if not decision.accepted:
                raise RuntimeError(
                    f"timer {step.timer.name} was due but rejected: {decision.detail}"
                )
            self.snapshot = decision.snapshot
            self.clock = step.at
            self.decisions.append((step.at, step.command, decision))
            self.steps.append(
                _step(step.at, step.command, decision, self.snapshot, self.policy, step.due_at)
            )


def replay(script: Script) -> dict[str, Any]:
    """Run the script and return the contract's JSON-ready result."""
    policy = script.policy
    snapshot = TradeSnapshot.new(
        policy_id=policy.id,
        policy_version=policy.version,
        price=script.price,
        ship_within=script.ship_within,
    )
    run = Replay(policy, snapshot)
    for event in script.events:
        run.run_timers(event.at)
        run.apply(event.at, event.command)
    run.run_timers(script.until)
    return {
        "policy": {"id": policy.id, "version": policy.version},
        "steps": run.steps,
        "final": final_summary(run.snapshot, policy),
    }


def _rating(given: GivenRating | None, policy: Policy) -> dict[str, Any] | None:
    if given is None:
        return None
    return {
        "rating": given.rating.value,
        "comment": given.comment,
        "by": given.by.value,
        "at": iso(given.at, policy),
    }


def final_summary(snapshot: TradeSnapshot, policy: Policy) -> dict[str, Any]:
    request = snapshot.operator_request
    found = deadlines(snapshot, policy)
    return {
        "state": snapshot.state.value if snapshot.state else None,
        "completed_at": iso(snapshot.completed_at, policy),
        "cancelled_at": iso(snapshot.cancelled_at, policy),
        "ratings": {
            "buyer": _rating(snapshot.buyer_rating, policy),
            "seller": _rating(snapshot.seller_rating, policy),
        },
        "operator_request": None
        if request is None
        else {
            "status": request.status.value,
            "opened_at": iso(request.opened_at, policy),
            "closed_at": iso(request.closed_at, policy),
        },
        "deadlines": {
            name: iso(at, policy) for name, at in found.as_dict().items() if at is not None
        },
        "refunded_after_payout": snapshot.refunded_after_payout,
    }

"""The trade process engine: ``decide(snapshot, command, now, policy)``.

Pure: no database, no clock, no I/O. Given a trade snapshot, a command, the time and the
trade's pinned policy it returns either

* ``Accepted``: the new snapshot, the event to append, the parties to notify and the
  ledger postings; or
* ``Rejected``: one of the contract's error codes (plus ``allowed_from`` for ``too_early``
  and ``too_soon``). A rejection changes nothing.

Checks run in a fixed order so the same mistake always gives the same code: who may take the
action at all (``forbidden_actor``, here), then in the action's handler (``handlers/``, one
module per family of actions) whether the trade's state allows it (``not_allowed_in_state``),
whether the input is valid (``invalid_rating``, ``invalid_input``), and whether its time has
come (``too_early``, ``too_soon``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from furima.process.commands import Command
from furima.process.decision import (
    BUYER,
    OPERATOR,
    SELLER,
    SYSTEM,
    Accepted,
    Decision,
    Event,
    Rejected,
)
from furima.process.handlers import cancellation, course, operator, problems, ratings, timed
from furima.process.model import Action, Actor, ErrorCode, TradeSnapshot
from furima.process.policy import Policy

__all__ = ["ACTORS_FOR", "Accepted", "Decision", "Event", "Rejected", "decide"]

# Who may ever take each action. Anyone else gets `forbidden_actor`.
ACTORS_FOR: dict[Action, frozenset[Actor]] = {
    Action.PURCHASE: frozenset({BUYER}),
    Action.MESSAGE: frozenset({BUYER, SELLER}),
    Action.SHIP: frozenset({SELLER}),
    Action.DELIVER: frozenset({Actor.CARRIER}),
    Action.REMIND: frozenset({SELLER, SYSTEM}),
    Action.RATE: frozenset({BUYER, SELLER}),
    Action.REQUEST_OPERATOR: frozenset({SELLER}),
    Action.REPORT_PROBLEM: frozenset({BUYER}),
    Action.PROXY_RATE: frozenset({OPERATOR, SYSTEM}),
    Action.CANCEL: frozenset({BUYER, SELLER, OPERATOR, SYSTEM}),
    Action.COMPLETE: frozenset({SYSTEM}),
    Action.RESOLVE_PROBLEM: frozenset({OPERATOR, BUYER}),
    Action.REQUEST_CANCEL: frozenset({BUYER, SELLER}),
    Action.ACCEPT_CANCEL: frozenset({BUYER, SELLER}),
    # `system`: the policy's window for answering passed (a timer).
    Action.DECLINE_CANCEL: frozenset({BUYER, SELLER, SYSTEM}),
}

_HANDLERS: dict[Action, Callable[[TradeSnapshot, Command, datetime, Policy], Decision]] = {
    Action.PURCHASE: course.purchase,
    Action.MESSAGE: course.message,
    Action.SHIP: course.ship,
    Action.DELIVER: course.deliver,
    Action.REMIND: timed.remind,
    Action.RATE: ratings.rate,
    Action.REQUEST_OPERATOR: operator.request_operator,
    Action.REPORT_PROBLEM: problems.report_problem,
    Action.PROXY_RATE: operator.proxy_rate,
    Action.CANCEL: cancellation.cancel,
    Action.COMPLETE: timed.complete,
    Action.RESOLVE_PROBLEM: problems.resolve_problem,
    Action.REQUEST_CANCEL: cancellation.request_cancel,
    Action.ACCEPT_CANCEL: cancellation.accept_cancel,
    Action.DECLINE_CANCEL: cancellation.decline_cancel,
}


def decide(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    """Decide one command against one trade at one instant, under its pinned policy."""
    if now.tzinfo is None:
        raise ValueError("decide() needs a timezone-aware time")
    if snapshot.policy_id != policy.id or snapshot.policy_version != policy.version:
        raise ValueError(
            f"trade is pinned to {snapshot.policy_id}@{snapshot.policy_version}, not {policy.key}"
        )
    action, actor = command.action, command.actor
    if actor not in ACTORS_FOR[action]:
        return Rejected(ErrorCode.FORBIDDEN_ACTOR, f"{actor} may not {action}")
    if now.tzinfo is not policy.zone:
        now = now.astimezone(policy.zone)
    return _HANDLERS[action](snapshot, command, now, policy)

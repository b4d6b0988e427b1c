"""What a party may do now: the trade screen's buttons and the API's `actions`.

Answered by asking the engine itself with a probe command for every action, so the buttons
can never disagree with what `decide` will accept. An action whose time has not come yet is
listed as not yet allowed, with the instant it opens (the "あと3日" banners).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from furima.process.commands import Command
from furima.process.engine import ACTORS_FOR, decide
from furima.process.model import Action, Actor, ErrorCode, TradeSnapshot
from furima.process.policy import Policy

_WAITING = frozenset({ErrorCode.TOO_EARLY, ErrorCode.TOO_SOON})
_NOT_A_PARTYS_STEP = frozenset({Action.PURCHASE, Action.COMPLETE})


@dataclass(frozen=True, slots=True)
class ActionOption:
    action: Action
    allowed: bool
    allowed_from: datetime | None = None


def _probe(actor: Actor, action: Action, policy: Policy) -> Command:
    rating = min(r.value for r in policy.ratings)
    return Command(actor=actor, action=action, rating=rating, text="·", reason="·")


def action_options(
    snapshot: TradeSnapshot, actor: Actor, now: datetime, policy: Policy
) -> list[ActionOption]:
    """Every action `actor` may take now, or will be able to take later without anyone
    else acting first (then `allowed` is False and `allowed_from` says when)."""
    options = []
    for action in Action:
        if action in _NOT_A_PARTYS_STEP or actor not in ACTORS_FOR[action]:
            continue
        if actor is Actor.SYSTEM:
            continue
        decision = decide(snapshot, _probe(actor, action, policy), now, policy)
        if decision.accepted:
            options.append(ActionOption(action, True))
        elif decision.code in _WAITING:
            options.append(ActionOption(action, False, decision.allowed_from))
    return options


def allowed_actions(
    snapshot: TradeSnapshot, actor: Actor, now: datetime, policy: Policy
) -> list[str]:
    """Just the names of the actions `actor` may take right now."""
    return [o.action.value for o in action_options(snapshot, actor, now, policy) if o.allowed]

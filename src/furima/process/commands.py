"""Commands: what somebody asks the engine to do to a trade.

One small frozen dataclass carries every action; the fields an action does not use stay at
their defaults. The engine checks the ones it needs (a `rate` needs a rating, a `message`
needs text) and rejects the command with `invalid_rating` / `invalid_input` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from furima.process.model import Action, Actor

MAX_TEXT_LENGTH = 2000
MAX_COMMENT_LENGTH = 500
MAX_TRACKING_NUMBER_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Command:
    actor: Actor
    action: Action
    rating: str | None = None
    comment: str = ""
    text: str = ""
    reason: str = ""
    tracking_number: str = ""
    # resolve_problem by the operator on a claim after the payout: yen back to the buyer
    # (0: no refund; the price less earlier refunds: in full).
    refund: int = 0
    # Set only by the timer loop (process/timers.py) on the engine's own `remind`: the name of
    # the later timer, already due, that made this reminder stale. The engine then records it
    # as skipped instead of telling the buyer.
    overtaken_by: str = ""

"""What ``decide`` answers, and the small helpers every command handler builds it with.

A decision is either ``Accepted`` (the new snapshot, the event to append, the parties to
notify, the ledger postings) or ``Rejected`` (one of the contract's error codes, plus
``allowed_from`` for ``too_early`` and ``too_soon``). The helpers here keep the wording and
the order of the checks the same in every handler, so the same mistake always gives the same
code and the same sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple

from furima.process import ledger
from furima.process.commands import MAX_COMMENT_LENGTH, Command
from furima.process.model import Action, Actor, ErrorCode, Rating, TradeSnapshot
from furima.process.policy import Policy

# Actors compared on every step, as globals (see the note above SHIPPED in model.py).
BUYER, SELLER, OPERATOR, SYSTEM = Actor.BUYER, Actor.SELLER, Actor.OPERATOR, Actor.SYSTEM

PARTIES = (BUYER.value, SELLER.value)


# The engine builds an Event and an Accepted on every step, so they are the cheapest objects
# Python 3.11 builds: slotted dataclasses, a third cheaper to build than named tuples and
# three times quicker to read. Not frozen, like the simulator's Persona: a frozen dataclass
# sets each field through object.__setattr__ and costs twice a named tuple; nothing assigns
# to a decision once made. (Rejected, rare, stays a named tuple.)


@dataclass(slots=True)
class Event:
    """One accepted step, as the trade's append-only log records it."""

    at: datetime
    actor: Actor
    action: Action
    data: dict[str, Any]


@dataclass(slots=True)
class Accepted:
    snapshot: TradeSnapshot
    event: Event
    notify: tuple[str, ...] = ()
    postings: tuple[ledger.Posting, ...] = ()
    accepted: Literal[True] = True  # Literal: `if decision.accepted` narrows the type


class Rejected(NamedTuple):
    code: ErrorCode
    detail: str
    allowed_from: datetime | None = None
    accepted: Literal[False] = False


Decision = Accepted | Rejected


def accept(
    snapshot: TradeSnapshot,
    command: Command,
    now: datetime,
    notify: tuple[str, ...],
    postings: tuple[ledger.Posting, ...] = (),
    /,
    **data: Any,
) -> Accepted:
    """The step is taken: `snapshot` is the trade after it, `data` the event's details.

    (The `/`: Python 3.11 compares each keyword argument by value with every parameter it
    could name before it lands in `data`; positional-only parameters are skipped. The same
    in replace(), completed() and cancelled().)"""
    event = Event(now, command.actor, command.action, data)
    return Accepted(snapshot, event, notify, postings)


def wrong_state(snapshot: TradeSnapshot, command: Command) -> Rejected:
    state = snapshot.state.value if snapshot.state else "not purchased"
    return Rejected(
        ErrorCode.NOT_ALLOWED_IN_STATE, f"{command.actor} cannot {command.action} in state {state}"
    )


def too_early(what: str, allowed_from: datetime) -> Rejected:
    return Rejected(
        ErrorCode.TOO_EARLY, f"{what} is allowed from {allowed_from.isoformat()}", allowed_from
    )


_OTHERS = {actor: tuple(p for p in PARTIES if p != actor.value) for actor in Actor}


def others(actor: Actor) -> tuple[str, ...]:
    """The parties to tell about a step `actor` took: everyone but themselves."""
    return _OTHERS[actor]


def check_text(text: str, *, required: bool, limit: int, what: str) -> Rejected | None:
    if required and not text.strip():
        return Rejected(ErrorCode.INVALID_INPUT, f"{what} must not be empty")
    if len(text) > limit:
        return Rejected(ErrorCode.INVALID_INPUT, f"{what} is longer than {limit} characters")
    return None


RATINGS = {r.value: r for r in Rating}
"""The rating a command names, by its contract spelling."""


def check_rating(command: Command, policy: Policy) -> Rejected | None:
    rating = RATINGS.get(command.rating) if isinstance(command.rating, str) else None
    if rating is None or rating not in policy.ratings:
        allowed = ", ".join(sorted(r.value for r in policy.ratings))
        return Rejected(
            ErrorCode.INVALID_RATING, f"rating must be one of {allowed}, not {command.rating!r}"
        )
    if len(command.comment) > MAX_COMMENT_LENGTH:
        return check_text(command.comment, required=False, limit=MAX_COMMENT_LENGTH, what="comment")
    return None

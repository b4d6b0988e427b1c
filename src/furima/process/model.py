"""The trade's vocabulary and its frozen snapshot.

Everything here is plain data: the names of CONTRACT.md as string enums (so they serialise as
the contract spells them) and a frozen snapshot that the engine reads and replaces but never
mutates. The snapshot carries only what the rules look at; persistence lives elsewhere.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class State(StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    AWAITING_SELLER_RATING = "awaiting_seller_rating"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Actor(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    OPERATOR = "operator"
    SYSTEM = "system"
    CARRIER = "carrier"


class Action(StrEnum):
    PURCHASE = "purchase"
    MESSAGE = "message"
    SHIP = "ship"
    DELIVER = "deliver"
    REMIND = "remind"
    RATE = "rate"
    REQUEST_OPERATOR = "request_operator"
    REPORT_PROBLEM = "report_problem"
    PROXY_RATE = "proxy_rate"
    CANCEL = "cancel"
    RESOLVE_PROBLEM = "resolve_problem"
    REQUEST_CANCEL = "request_cancel"
    ACCEPT_CANCEL = "accept_cancel"
    DECLINE_CANCEL = "decline_cancel"
    # Not one of the parties' actions: the engine's own step that closes the seller's rating
    # window ("the trade completes without it"). Only the `system` actor may take it.
    COMPLETE = "complete"


class Rating(StrEnum):
    GOOD = "good"
    NORMAL = "normal"
    BAD = "bad"


class OperatorRequestStatus(StrEnum):
    OPEN = "open"
    RESOLVED_BY_BUYER = "resolved_by_buyer"
    PROXY_RATED = "proxy_rated"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"


class ErrorCode(StrEnum):
    NOT_ALLOWED_IN_STATE = "not_allowed_in_state"
    FORBIDDEN_ACTOR = "forbidden_actor"
    TOO_EARLY = "too_early"
    TOO_SOON = "too_soon"
    INVALID_RATING = "invalid_rating"
    INVALID_INPUT = "invalid_input"


# Python 3.11 reads an enum member through its class (`State.SHIPPED`) via the metaclass's
# __getattr__ hook, about ten times slower than reading a global (3.12 removed the hook). The
# engine and the simulator compare states on every step, so the states are globals here too:
# `SHIPPED is State.SHIPPED`. Measured: 6-12% of a simulated trade.
AWAITING_SHIPMENT = State.AWAITING_SHIPMENT
SHIPPED = State.SHIPPED
AWAITING_SELLER_RATING = State.AWAITING_SELLER_RATING
COMPLETED = State.COMPLETED
CANCELLED = State.CANCELLED
OPEN_REQUEST = OperatorRequestStatus.OPEN

DERIVED_CACHE = "_derived"
"""Instance-dict key under which `deadlines()` memoises its answer for one snapshot (it is
a pure function of the frozen snapshot and the policy); `replace` resets it to None."""

SHIP_WITHIN_CHOICES: dict[str, int] = {"1-2": 2, "2-3": 3, "4-7": 7}
"""The listing's ship-within options and the number of days the seller has, from payment."""


# The snapshot's parts are named tuples: immutable like frozen dataclasses and about half the
# cost to build, and the engine builds one on every rating, request and report. They stay
# immutable because every later snapshot shares them; what the engine builds fresh on every
# step and shares with nobody (decisions, deadlines) is cheaper still as slotted dataclasses.


class GivenRating(NamedTuple):
    """A rating one side of the trade received. `by` is who gave it: a party, or the
    operator / the engine on the buyer's behalf."""

    rating: Rating
    comment: str
    by: Actor
    at: datetime


class OperatorRequest(NamedTuple):
    status: OperatorRequestStatus
    opened_at: datetime
    closed_at: datetime | None = None


class ProblemReport(NamedTuple):
    reported_at: datetime
    text: str
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CancelRequest(NamedTuple):
    """One party asked to cancel by mutual agreement (キャンセル申請); the other party
    accepts or declines, or the policy's window passes. Gone once answered."""

    by: Actor
    requested_at: datetime
    reason: str


@dataclass(frozen=True)
class TradeSnapshot:
    """What the rules need to know about one trade, at one moment.

    `state` is None only before the purchase; the purchase creates the trade.
    Not slotted on purpose: `replace` copies the instance dict, several times faster than
    `dataclasses.replace`, and the engine replaces a snapshot on every accepted step.
    """

    policy_id: str
    policy_version: int
    price: int
    ship_within: str = "2-3"
    state: State | None = None
    purchased_at: datetime | None = None
    shipped_at: datetime | None = None
    tracking_number: str = ""
    delivered_at: datetime | None = None
    last_buyer_message_at: datetime | None = None
    last_seller_reminder_at: datetime | None = None
    reminders_sent: frozenset[int] = frozenset()
    buyer_rating: GivenRating | None = None
    seller_rating: GivenRating | None = None
    operator_request: OperatorRequest | None = None
    problem_report: ProblemReport | None = None
    # When a problem report was last resolved (resolve_problem): the grace before any
    # automatic receipt evaluation counts from here.
    problem_resolved_at: datetime | None = None
    cancel_request: CancelRequest | None = None
    # Yen refunded to the buyer after the seller was paid (claims, under a policy with a
    # claims window); never more than the price.
    refunded_after_payout: int = 0
    escrow_released: bool = False
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None

    @classmethod
    def new(
        cls, *, policy_id: str, policy_version: int, price: int, ship_within: str = "2-3"
    ) -> TradeSnapshot:
        """A trade about to be purchased (a copy of a blank one: building a frozen dataclass
        field by field costs three times as much, and the simulator starts a trade per run)."""
        return _BLANK.replace(
            policy_id=policy_id, policy_version=policy_version, price=price, ship_within=ship_within
        )

    def replace(self, /, **changes: object) -> TradeSnapshot:
        """A copy with `changes` applied (field names are checked)."""
        # A new dict, never `dict.copy()`: a dataclass-built instance's dict is split (keys
        # shared with the class), copies of it stay split, and Python 3.11 reads attributes
        # through a replaced split dict several times slower. The memo is reset rather than
        # removed: a dict that never had a key deleted is copied whole (one memcpy) by the
        # next replace, instead of key by key.
        state = {**self.__dict__, **changes, DERIVED_CACHE: None}
        if len(state) != _STATE_SIZE:  # every field is set, so one was misnamed
            unknown = changes.keys() - _SNAPSHOT_FIELDS
            raise TypeError(f"TradeSnapshot has no field(s) {sorted(unknown)}")
        copy = _new_instance(TradeSnapshot)
        _set_attribute(copy, "__dict__", state)
        return copy

    @property
    def ship_within_days(self) -> int:
        return SHIP_WITHIN_CHOICES[self.ship_within]

    @property
    def claim_open(self) -> bool:
        """An open problem report made after the receipt evaluation (a claim)."""
        return self.problem_open and self.buyer_rating is not None

    @property
    def problem_open(self) -> bool:
        return self.problem_report is not None and self.problem_report.is_open

    @property
    def operator_request_open(self) -> bool:
        return self.operator_request is not None and self.operator_request.status is OPEN_REQUEST

    @property
    def buyer_messaged_since_shipping(self) -> bool:
        return (
            self.shipped_at is not None
            and self.last_buyer_message_at is not None
            and self.last_buyer_message_at >= self.shipped_at
        )


# `object.__new__` and `object.__setattr__` looked up once: reading them off `object` on
# every replace costs a tenth of the replace.
_new_instance = object.__new__
_set_attribute = object.__setattr__
_SNAPSHOT_FIELDS = frozenset(f.name for f in dataclasses.fields(TradeSnapshot))
_STATE_SIZE = len(_SNAPSHOT_FIELDS) + 1  # the fields and the memo (DERIVED_CACHE)
_BLANK = TradeSnapshot(policy_id="", policy_version=0, price=0)

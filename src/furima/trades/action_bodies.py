"""The bodies `POST /api/v1/trades/{id}/actions` accepts: one shape per action, told apart
by `action` (a discriminated union in the OpenAPI schema).

Each shape lists exactly the fields its action reads, with the engine's limits, so a
generated client cannot build a request of the wrong shape and a fuzzer reaches the rules
instead of the parser. Whether the action is allowed *now* (state, time, who you are) is the
engine's answer, not the schema's. `rating` is documented as the contract's three values but
taken as text: a policy may allow only some of them, and the engine names the allowed ones
in its `invalid_rating` answer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from furima.process import Actor
from furima.process.commands import (
    MAX_COMMENT_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TRACKING_NUMBER_LENGTH,
)

RATINGS = ["good", "normal", "bad"]

_ACTOR = Field(
    None,
    description="who you act as; default: your side of the trade (staff: `operator`)",
)


def _text(description: str, *, required: bool = False):
    return Field(
        ... if required else "",
        max_length=MAX_TEXT_LENGTH,
        description=description,
    )


class _Body(Schema):
    actor: Actor | None = _ACTOR


class MessageActionIn(_Body):
    """A trade message (buyer or seller, until the trade is completed or cancelled)."""

    action: Literal["message"]
    text: str = _text("the message; must not be blank", required=True)


class ShipActionIn(_Body):
    """The seller's shipping notice."""

    action: Literal["ship"]
    tracking_number: str = Field("", max_length=MAX_TRACKING_NUMBER_LENGTH)


class DeliverActionIn(_Body):
    """Confirmed delivery: the carrier's action only (carriers use `POST /carrier/events`);
    a user sending it is refused."""

    action: Literal["deliver"]


class RemindActionIn(_Body):
    """The seller reminds the buyer to do the receipt evaluation."""

    action: Literal["remind"]


class RateActionIn(_Body):
    """The buyer's receipt evaluation, or the seller's rating of the buyer."""

    action: Literal["rate"]
    rating: str = Field(json_schema_extra={"enum": [*RATINGS]})
    comment: str = Field("", max_length=MAX_COMMENT_LENGTH)


class RequestOperatorActionIn(_Body):
    """The seller asks the operator to do the receipt evaluation."""

    action: Literal["request_operator"]


class ReportProblemActionIn(_Body):
    """The buyer reports a problem: the automatic clock stops, an operator case opens."""

    action: Literal["report_problem"]
    text: str = _text("what is wrong")


class ProxyRateActionIn(_Body):
    """The operator does the receipt evaluation on the buyer's behalf (staff only)."""

    action: Literal["proxy_rate"]


class CancelActionIn(_Body):
    """Cancel with a full refund, where the policy allows it."""

    action: Literal["cancel"]
    reason: str = _text("why")


class ResolveProblemActionIn(_Body):
    """Close an open problem report (the operator, or the buyer withdrawing their own)."""

    action: Literal["resolve_problem"]
    text: str = _text("how it was resolved")
    refund: int = Field(
        0, ge=0, description="resolve_problem on a claim after the payout: yen back to the buyer"
    )


def _reason_required(schema: dict) -> None:
    schema["required"] = sorted({*schema.get("required", []), "reason"})


class RequestCancelActionIn(_Body):
    """Ask the other party to agree to cancel."""

    # Documented as required; a missing or blank reason is the engine's refusal
    # (400 `invalid_input`, as for a blank reason), not a parser error.
    model_config = ConfigDict(json_schema_extra=_reason_required)

    action: Literal["request_cancel"]
    reason: str = _text("why; required, must not be blank")


class AcceptCancelActionIn(_Body):
    """Agree to the other party's cancellation request: cancelled, full refund."""

    action: Literal["accept_cancel"]


class DeclineCancelActionIn(_Body):
    """Refuse the other party's cancellation request: the trade goes on."""

    action: Literal["decline_cancel"]


ActionIn = Annotated[
    MessageActionIn
    | ShipActionIn
    | DeliverActionIn
    | RemindActionIn
    | RateActionIn
    | RequestOperatorActionIn
    | ReportProblemActionIn
    | ProxyRateActionIn
    | CancelActionIn
    | ResolveProblemActionIn
    | RequestCancelActionIn
    | AcceptCancelActionIn
    | DeclineCancelActionIn,
    Field(discriminator="action"),
]
"""The request body of an action, by its `action`."""

"""The seller asks the operator (事務局) to step in, and the operator — or, for a silent
buyer, the engine itself — gives the receipt evaluation on the buyer's behalf."""

from __future__ import annotations

from datetime import datetime

from furima.process.commands import Command
from furima.process.deadlines import (
    auto_complete_at,
    operator_proxy_allowed_from,
    operator_request_allowed_from,
)
from furima.process.decision import (
    PARTIES,
    SYSTEM,
    Decision,
    Rejected,
    accept,
    too_early,
    wrong_state,
)
from furima.process.handlers.transitions import receipt_evaluated
from furima.process.model import (
    OPEN_REQUEST,
    SHIPPED,
    ErrorCode,
    GivenRating,
    OperatorRequest,
    OperatorRequestStatus,
    TradeSnapshot,
)
from furima.process.policy import Policy, RatingOnBehalf


def request_operator(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    if snapshot.state is not SHIPPED:
        return wrong_state(snapshot, command)
    if snapshot.operator_request is not None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "the operator has already been asked")
    if policy.operator_request_only_if_buyer_silent and snapshot.buyer_messaged_since_shipping:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE,
            "the buyer has written since the shipping notice; under this policy the operator "
            "can only be asked while the buyer is silent",
        )
    allowed_from = operator_request_allowed_from(snapshot, policy)
    if allowed_from is None:
        return wrong_state(snapshot, command)
    if now < allowed_from:
        return too_early("asking the operator", allowed_from)
    request = OperatorRequest(OPEN_REQUEST, now)
    return accept(snapshot.replace(operator_request=request), command, now, PARTIES)


def proxy_rate(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    if snapshot.state is not SHIPPED:
        return wrong_state(snapshot, command)
    on_behalf: RatingOnBehalf
    if command.actor is SYSTEM:
        if policy.auto_evaluation is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE, "this policy has no automatic receipt evaluation"
            )
        due = auto_complete_at(snapshot, policy)
        if due is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE,
                "automatic evaluation is paused by an open problem report",
            )
        if now < due:
            return too_early("the automatic receipt evaluation", due)
        on_behalf = policy.auto_evaluation.on_behalf
    else:
        allowed_from = operator_proxy_allowed_from(snapshot, policy)
        if allowed_from is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE,
                "there is no open operator request or problem report",
            )
        if now < allowed_from:
            return too_early("rating on the buyer's behalf", allowed_from)
        on_behalf = policy.operator_proxy_rating
    given = GivenRating(on_behalf.rating, on_behalf.comment, command.actor, now)
    updated, postings = receipt_evaluated(
        snapshot, now, policy, given, OperatorRequestStatus.PROXY_RATED
    )
    return accept(
        updated, command, now, PARTIES, postings, rating=given.rating.value, comment=given.comment
    )

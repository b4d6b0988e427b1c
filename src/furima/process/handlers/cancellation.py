"""Cancelling a trade: by one side where the policy allows it (the buyer after the ship-by
date, the seller before shipping, the operator, the engine's ship-by timer), or by mutual
agreement (キャンセル申請: one party asks, the other accepts or declines, or the window
passes)."""

from __future__ import annotations

from datetime import datetime

from furima.process.commands import MAX_TEXT_LENGTH, Command
from furima.process.deadlines import deadlines
from furima.process.decision import (
    BUYER,
    OPERATOR,
    PARTIES,
    SELLER,
    SYSTEM,
    Decision,
    Rejected,
    accept,
    check_text,
    others,
    too_early,
    wrong_state,
)
from furima.process.handlers.transitions import cancelled
from furima.process.model import AWAITING_SHIPMENT, SHIPPED, CancelRequest, ErrorCode, TradeSnapshot
from furima.process.policy import Policy

CANCEL_REQUEST_STATES = frozenset({AWAITING_SHIPMENT, SHIPPED})
"""Where cancellation by agreement may be asked and answered: before the receipt
evaluation, while the escrow still holds the whole price."""


def cancel(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    actor, state = command.actor, snapshot.state
    problem = check_text(command.reason, required=False, limit=MAX_TEXT_LENGTH, what="reason")
    if actor is OPERATOR:
        if state not in (AWAITING_SHIPMENT, SHIPPED):
            return wrong_state(snapshot, command)
    elif actor is SELLER:
        if not policy.seller_may_cancel_before_shipping:
            return Rejected(ErrorCode.FORBIDDEN_ACTOR, "this policy does not let the seller cancel")
        if state is not AWAITING_SHIPMENT:
            return wrong_state(snapshot, command)
    else:
        rule = policy.buyer_may_cancel_from if actor is BUYER else policy.auto_cancel_at
        if rule is None:
            return Rejected(
                ErrorCode.FORBIDDEN_ACTOR, f"this policy does not let the {actor} cancel"
            )
        if state is not AWAITING_SHIPMENT:
            return wrong_state(snapshot, command)
        found = deadlines(snapshot, policy)
        allowed_from = found.buyer_cancel_allowed_from if actor is BUYER else found.auto_cancel_at
        # The rule is set and the trade awaits shipment: its anchor (the purchase) exists.
        assert allowed_from is not None
        if now < allowed_from:
            return too_early("cancelling", allowed_from)
    if problem:
        return problem
    return cancelled(snapshot, command, now, others(actor), reason=command.reason)


def _no_cancel_by_agreement(policy: Policy) -> Rejected | None:
    if policy.cancel_request_expires_at is None:
        return Rejected(
            ErrorCode.FORBIDDEN_ACTOR, "this policy has no cancellation by mutual agreement"
        )
    return None


def request_cancel(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    refused = _no_cancel_by_agreement(policy)
    if refused:
        return refused
    if snapshot.state not in CANCEL_REQUEST_STATES:
        return wrong_state(snapshot, command)
    if snapshot.cancel_request is not None:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE, "a cancellation request is waiting for an answer"
        )
    problem = check_text(command.reason, required=True, limit=MAX_TEXT_LENGTH, what="reason")
    if problem:
        return problem
    asked = CancelRequest(command.actor, now, command.reason)
    updated = snapshot.replace(cancel_request=asked)
    return accept(updated, command, now, others(command.actor), reason=command.reason)


def _pending_cancel(snapshot: TradeSnapshot, command: Command) -> Rejected | None:
    """The answer's preconditions: a request waiting, answered by the other party."""
    if snapshot.state not in CANCEL_REQUEST_STATES:
        return wrong_state(snapshot, command)
    asked = snapshot.cancel_request
    if asked is None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "there is no cancellation request")
    if asked.by is command.actor:
        return Rejected(
            ErrorCode.FORBIDDEN_ACTOR, "the other party answers your cancellation request"
        )
    return None


def accept_cancel(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    refused = _pending_cancel(snapshot, command)
    if refused:
        return refused
    asked = snapshot.cancel_request
    assert asked is not None  # _pending_cancel refuses a trade without one
    return cancelled(
        snapshot,
        command,
        now,
        (asked.by.value,),
        reason=asked.reason,
        requested_by=asked.by.value,
    )


def decline_cancel(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    refused = _pending_cancel(snapshot, command)
    if refused:
        return refused
    problem = check_text(command.reason, required=False, limit=MAX_TEXT_LENGTH, what="reason")
    if problem:
        return problem
    asked = snapshot.cancel_request
    assert asked is not None  # _pending_cancel refuses a trade without one
    expired = command.actor is SYSTEM
    if expired:
        # The system declines only on the expiry timer, which exists only with the rule.
        rule = policy.cancel_request_expires_at
        assert rule is not None
        answer_by = rule.at({"cancel_requested_at": asked.requested_at}, policy.zone)
        if answer_by is not None and now < answer_by:
            return too_early("closing the cancellation request unanswered", answer_by)
    notify = PARTIES if expired else (asked.by.value,)
    return accept(
        snapshot.replace(cancel_request=None),
        command,
        now,
        notify,
        reason=command.reason,
        requested_by=asked.by.value,
        expired=expired,
    )

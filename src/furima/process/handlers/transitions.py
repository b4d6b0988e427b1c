"""The state changes several handlers end in: the receipt evaluation (by the buyer, the
operator or the engine), completion (the seller's rating or its window closing) and
cancellation (by a party, the operator, agreement or the ship-by timer). One place each, so
the money and the open cases move the same way whoever caused the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from furima.process import ledger
from furima.process.commands import Command
from furima.process.decision import Accepted, accept
from furima.process.model import (
    AWAITING_SELLER_RATING,
    CANCELLED,
    COMPLETED,
    OPEN_REQUEST,
    GivenRating,
    OperatorRequest,
    OperatorRequestStatus,
    ProblemReport,
    TradeSnapshot,
)
from furima.process.policy import Policy


def receipt_evaluated(
    snapshot: TradeSnapshot,
    now: datetime,
    policy: Policy,
    rating: GivenRating,
    status: OperatorRequestStatus,
) -> tuple[TradeSnapshot, tuple[ledger.Posting, ...]]:
    """The receipt evaluation, whoever gave it: closes open cases, maybe releases escrow."""
    request = snapshot.operator_request
    if request is not None and request.status is OPEN_REQUEST:
        request = OperatorRequest(status, request.opened_at, now)
    problem = snapshot.problem_report
    if problem is not None and problem.is_open:
        problem = ProblemReport(problem.reported_at, problem.text, now)
    postings: tuple[ledger.Posting, ...] = ()
    released = snapshot.escrow_released
    if policy.releases_on_receipt and not released:
        postings, released = (ledger.release_posting(snapshot.price, policy.fee_percent),), True
    updated = snapshot.replace(
        state=AWAITING_SELLER_RATING,
        buyer_rating=rating,
        operator_request=request,
        problem_report=problem,
        escrow_released=released,
        cancel_request=None,  # nothing left to cancel by agreement
    )
    return updated, postings


def cancelled(
    snapshot: TradeSnapshot,
    command: Command,
    now: datetime,
    notify: tuple[str, ...],
    /,
    **data: Any,
) -> Accepted:
    """The trade is cancelled, whoever decided it: open cases close, the buyer is refunded
    the whole price from escrow."""
    request = snapshot.operator_request
    if request is not None and request.status is OPEN_REQUEST:
        request = OperatorRequest(OperatorRequestStatus.CANCELLED, request.opened_at, now)
    report = snapshot.problem_report
    if report is not None and report.is_open:
        report = ProblemReport(report.reported_at, report.text, now)
    updated = snapshot.replace(
        state=CANCELLED,
        cancelled_at=now,
        operator_request=request,
        problem_report=report,
        cancel_request=None,
    )
    refund = ledger.refund_posting(snapshot.price)
    return accept(updated, command, now, notify, (refund,), **data)


def completed(
    snapshot: TradeSnapshot, now: datetime, policy: Policy, /, **changes: Any
) -> tuple[TradeSnapshot, tuple[ledger.Posting, ...]]:
    """The trade completes; escrow not yet released goes to the seller now."""
    postings: tuple[ledger.Posting, ...] = ()
    if not snapshot.escrow_released:
        postings = (ledger.release_posting(snapshot.price, policy.fee_percent),)
    updated = snapshot.replace(state=COMPLETED, completed_at=now, escrow_released=True, **changes)
    return updated, postings

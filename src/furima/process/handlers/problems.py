"""The buyer's problem report — the protection against being "waited out" — and its
resolution: before the receipt evaluation it stops the automatic clock; after it, under a
policy with a claims window, it is a claim that staff settle with or without a refund."""

from __future__ import annotations

from datetime import datetime

from furima.process import ledger
from furima.process.commands import MAX_TEXT_LENGTH, Command
from furima.process.deadlines import claim_window_closes_at
from furima.process.decision import (
    BUYER,
    PARTIES,
    Decision,
    Rejected,
    accept,
    check_text,
    wrong_state,
)
from furima.process.model import (
    AWAITING_SELLER_RATING,
    COMPLETED,
    SHIPPED,
    ErrorCode,
    ProblemReport,
    TradeSnapshot,
)
from furima.process.policy import Policy

CLAIM_STATES = frozenset({AWAITING_SELLER_RATING, COMPLETED})
"""States in which a policy with a claims window takes a problem report (a claim)."""


def report_problem(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    if snapshot.state is not SHIPPED:
        return _claim(snapshot, command, now, policy)
    if snapshot.problem_open:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "a problem report is already open")
    # The text is what support needs to act on: a blank report is refused.
    problem = check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="problem text")
    if problem:
        return problem
    report = ProblemReport(now, command.text)
    return accept(
        snapshot.replace(problem_report=report), command, now, ("seller",), text=command.text
    )


def _claim(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    """A problem reported after the receipt evaluation (and so after the payout, which a
    claims policy makes at the evaluation): allowed until the policy's claims window closes.
    It opens a case for the operator and pauses the seller's rating window."""
    if snapshot.state not in CLAIM_STATES or not policy.claim_window_closes_at:
        return wrong_state(snapshot, command)
    if snapshot.problem_open:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "a problem report is already open")
    if snapshot.refunded_after_payout >= snapshot.price:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "the price has been refunded in full")
    closes_at = claim_window_closes_at(snapshot, policy)
    if closes_at is None or now >= closes_at:
        closed = "" if closes_at is None else f" at {closes_at.isoformat()}"
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE, f"the window for reporting a problem closed{closed}"
        )
    problem = check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="problem text")
    if problem:
        return problem
    report = ProblemReport(now, command.text)
    return accept(
        snapshot.replace(problem_report=report),
        command,
        now,
        ("seller",),
        text=command.text,
        claim=True,
    )


def resolve_problem(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    """The operator closes the buyer's problem report, or the buyer withdraws it. The
    automatic clock resumes, with the policy's grace (see deadlines._auto_complete)."""
    if snapshot.state in CLAIM_STATES:
        return _resolve_claim(snapshot, command, now, policy)
    if command.refund:
        return Rejected(
            ErrorCode.INVALID_INPUT,
            "a refund before the payout is a cancellation; refund is for claims after it",
        )
    if snapshot.state is not SHIPPED:
        return wrong_state(snapshot, command)
    report = snapshot.problem_report
    if report is None or not report.is_open:  # snapshot.problem_open, narrowed
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "there is no open problem report")
    problem = check_text(command.text, required=False, limit=MAX_TEXT_LENGTH, what="text")
    if problem:
        return problem
    closed = ProblemReport(report.reported_at, report.text, now)
    updated = snapshot.replace(problem_report=closed, problem_resolved_at=now)
    withdrawn = command.actor is BUYER
    notify = ("seller",) if withdrawn else PARTIES
    return accept(updated, command, now, notify, text=command.text, withdrawn=withdrawn)


def _resolve_claim(
    snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy
) -> Decision:
    """Staff settle a claim after the payout: no refund, part of the price or all of it
    (`refund`, yen, at most what has not been refunded yet); the buyer may withdraw their own
    claim (no refund). The money comes back from the seller's side (ledger.claim_refund)."""
    report = snapshot.problem_report
    if report is None or not report.is_open:  # snapshot.problem_open, narrowed
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "there is no open problem report")
    refund = command.refund
    left = snapshot.price - snapshot.refunded_after_payout
    if type(refund) is not int or refund < 0:
        return Rejected(ErrorCode.INVALID_INPUT, f"refund must be whole yen, 0 or more: {refund!r}")
    if refund and command.actor is BUYER:
        return Rejected(ErrorCode.INVALID_INPUT, "a buyer withdrawing a claim refunds nothing")
    if refund > left:
        return Rejected(
            ErrorCode.INVALID_INPUT,
            f"refund {refund} yen is more than the {left} yen not yet refunded",
        )
    problem = check_text(command.text, required=False, limit=MAX_TEXT_LENGTH, what="text")
    if problem:
        return problem
    closed = ProblemReport(report.reported_at, report.text, now)
    updated = snapshot.replace(
        problem_report=closed,
        problem_resolved_at=now,
        refunded_after_payout=snapshot.refunded_after_payout + refund,
    )
    postings = (ledger.claim_refund_posting(refund),) if refund else ()
    withdrawn = command.actor is BUYER
    notify = ("seller",) if withdrawn else PARTIES
    return accept(
        updated,
        command,
        now,
        notify,
        postings,
        text=command.text,
        withdrawn=withdrawn,
        refund=refund,
        claim=True,
    )

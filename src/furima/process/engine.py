"""The trade process engine: ``decide(snapshot, command, now, policy)``.

Pure: no database, no clock, no I/O. Given a trade snapshot, a command, the time and the
trade's pinned policy it returns either

* ``Accepted``: the new snapshot, the event to append, the parties to notify and the
  ledger postings; or
* ``Rejected``: one of the contract's error codes (plus ``allowed_from`` for ``too_early``
  and ``too_soon``). A rejection changes nothing.

Checks run in a fixed order so the same mistake always gives the same code: who may take the
action at all (``forbidden_actor``), whether the trade's state allows it
(``not_allowed_in_state``), whether the input is valid (``invalid_rating``,
``invalid_input``), and whether its time has come (``too_early``, ``too_soon``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from furima.process import ledger
from furima.process.commands import (
    MAX_COMMENT_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TRACKING_NUMBER_LENGTH,
    Command,
)
from furima.process.deadlines import (
    anchors_of,
    auto_complete_at,
    claim_window_closes_at,
    deadlines,
    due_reminder,
    known_deadlines,
    operator_proxy_allowed_from,
    operator_request_allowed_from,
    seller_rating_closes_at,
)
from furima.process.model import (
    AWAITING_SELLER_RATING,
    AWAITING_SHIPMENT,
    CANCELLED,
    COMPLETED,
    OPEN_REQUEST,
    SHIPPED,
    Action,
    Actor,
    CancelRequest,
    ErrorCode,
    GivenRating,
    OperatorRequest,
    OperatorRequestStatus,
    ProblemReport,
    Rating,
    TradeSnapshot,
)
from furima.process.policy import Policy, RatingOnBehalf

# Actors compared on every step, as globals (see the note above SHIPPED in model.py).
BUYER, SELLER, OPERATOR, SYSTEM = Actor.BUYER, Actor.SELLER, Actor.OPERATOR, Actor.SYSTEM

PARTIES = (BUYER.value, SELLER.value)


# Named tuples rather than frozen dataclasses: as immutable, several times cheaper to build,
# and the engine builds one of each on every step.


class Event(NamedTuple):
    """One accepted step, as the trade's append-only log records it."""

    at: datetime
    actor: Actor
    action: Action
    data: dict[str, Any]


class Accepted(NamedTuple):
    snapshot: TradeSnapshot
    event: Event
    notify: tuple[str, ...] = ()
    postings: tuple[ledger.Posting, ...] = ()
    accepted: bool = True


class Rejected(NamedTuple):
    code: ErrorCode
    detail: str
    allowed_from: datetime | None = None
    accepted: bool = False


Decision = Accepted | Rejected

CLAIM_STATES = frozenset({AWAITING_SELLER_RATING, COMPLETED})
"""States in which a policy with a claims window takes a problem report (a claim)."""

ACTIVE_STATES = frozenset({AWAITING_SHIPMENT, SHIPPED, AWAITING_SELLER_RATING})

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

# Where cancellation by agreement may be asked and answered: before the receipt evaluation,
# while the escrow still holds the whole price.
CANCEL_REQUEST_STATES = frozenset({AWAITING_SHIPMENT, SHIPPED})


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


# ---------------------------------------------------------------------------- helpers


def _auto_complete_at(snapshot: TradeSnapshot, policy: Policy, anchors=None):
    known = known_deadlines(snapshot, policy)
    if known is not None:
        return known.auto_complete_at
    return auto_complete_at(snapshot, policy, anchors)


def _wrong_state(snapshot: TradeSnapshot, command: Command) -> Rejected:
    state = snapshot.state.value if snapshot.state else "not purchased"
    return Rejected(
        ErrorCode.NOT_ALLOWED_IN_STATE, f"{command.actor} cannot {command.action} in state {state}"
    )


def _too_early(what: str, allowed_from: datetime) -> Rejected:
    return Rejected(
        ErrorCode.TOO_EARLY, f"{what} is allowed from {allowed_from.isoformat()}", allowed_from
    )


def _accept(
    snapshot: TradeSnapshot,
    command: Command,
    now: datetime,
    notify: tuple[str, ...],
    postings: tuple[ledger.Posting, ...] = (),
    **data: Any,
) -> Accepted:
    event = Event(now, command.actor, command.action, data)
    return Accepted(snapshot, event, notify, postings)


_OTHERS = {actor: tuple(p for p in PARTIES if p != actor.value) for actor in Actor}


def _others(actor: Actor) -> tuple[str, ...]:
    return _OTHERS[actor]


def _check_text(text: str, *, required: bool, limit: int, what: str) -> Rejected | None:
    if required and not text.strip():
        return Rejected(ErrorCode.INVALID_INPUT, f"{what} must not be empty")
    if len(text) > limit:
        return Rejected(ErrorCode.INVALID_INPUT, f"{what} is longer than {limit} characters")
    return None


_RATINGS = {r.value: r for r in Rating}


def _check_rating(command: Command, policy: Policy) -> Rejected | None:
    rating = _RATINGS.get(command.rating) if isinstance(command.rating, str) else None
    if rating is None or rating not in policy.ratings:
        allowed = ", ".join(sorted(r.value for r in policy.ratings))
        return Rejected(
            ErrorCode.INVALID_RATING, f"rating must be one of {allowed}, not {command.rating!r}"
        )
    if len(command.comment) > MAX_COMMENT_LENGTH:
        return _check_text(
            command.comment, required=False, limit=MAX_COMMENT_LENGTH, what="comment"
        )
    return None


def _receipt_evaluated(
    snapshot: TradeSnapshot,
    now: datetime,
    policy: Policy,
    rating: GivenRating,
    status: OperatorRequestStatus,
) -> tuple[TradeSnapshot, tuple[ledger.Posting, ...]]:
    """The receipt evaluation, whoever gave it: closes open cases, maybe releases escrow."""
    request = snapshot.operator_request
    if request is not None and request.status is OPEN_REQUEST:
        request = OperatorRequest(status=status, opened_at=request.opened_at, closed_at=now)
    problem = snapshot.problem_report
    if problem is not None and problem.is_open:
        problem = ProblemReport(reported_at=problem.reported_at, text=problem.text, closed_at=now)
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


def _cancelled(
    snapshot: TradeSnapshot, command: Command, now: datetime, notify: tuple[str, ...], **data: Any
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
    return _accept(updated, command, now, notify, (refund,), **data)


def _completed(
    snapshot: TradeSnapshot, now: datetime, policy: Policy, **changes: Any
) -> tuple[TradeSnapshot, tuple[ledger.Posting, ...]]:
    postings: tuple[ledger.Posting, ...] = ()
    if not snapshot.escrow_released:
        postings = (ledger.release_posting(snapshot.price, policy.fee_percent),)
    updated = snapshot.replace(state=COMPLETED, completed_at=now, escrow_released=True, **changes)
    return updated, postings


# --------------------------------------------------------------------------- handlers


def _purchase(snapshot, command, now, policy):
    if snapshot.state is not None:
        return _wrong_state(snapshot, command)
    updated = snapshot.replace(state=AWAITING_SHIPMENT, purchased_at=now)
    posting = ledger.purchase_posting(snapshot.price)
    return _accept(
        updated,
        command,
        now,
        ("seller",),
        (posting,),
        price=snapshot.price,
        ship_within=snapshot.ship_within,
    )


def _message(snapshot, command, now, policy):
    if snapshot.state not in ACTIVE_STATES:
        return _wrong_state(snapshot, command)
    problem = _check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="message text")
    if problem:
        return problem
    updated = snapshot
    if command.actor is BUYER:
        updated = snapshot.replace(last_buyer_message_at=now)
    return _accept(updated, command, now, _others(command.actor), text=command.text)


def _ship(snapshot, command, now, policy):
    if snapshot.state is not AWAITING_SHIPMENT:
        return _wrong_state(snapshot, command)
    problem = _check_text(
        command.tracking_number,
        required=False,
        limit=MAX_TRACKING_NUMBER_LENGTH,
        what="tracking number",
    )
    if problem:
        return problem
    updated = snapshot.replace(
        state=SHIPPED, shipped_at=now, tracking_number=command.tracking_number.strip()
    )
    return _accept(updated, command, now, ("buyer",), tracking_number=updated.tracking_number)


def _deliver(snapshot, command, now, policy):
    if snapshot.state is not SHIPPED:
        return _wrong_state(snapshot, command)
    if snapshot.delivered_at is not None:
        # Carriers resend webhooks: the first confirmation counts, repeats change nothing.
        return _accept(snapshot, command, now, (), repeated=True)
    updated = snapshot.replace(delivered_at=now)
    return _accept(updated, command, now, PARTIES)


def _remind(snapshot, command, now, policy):
    if snapshot.state is not SHIPPED:
        return _wrong_state(snapshot, command)
    if command.actor is SYSTEM:
        anchors = anchors_of(snapshot)
        auto_at = _auto_complete_at(snapshot, policy, anchors)
        reminder = due_reminder(snapshot, policy, anchors, auto_at)
        if reminder is None:
            return _wrong_state(snapshot, command)
        index, due = reminder
        if now < due:
            return _too_early("the next automatic reminder", due)
        # Two rules may fall due at once (day 3 can be the day before auto-evaluation):
        # the buyer gets one reminder for all of them.
        sent = set(snapshot.reminders_sent)
        while reminder is not None and reminder[1] <= now:
            sent.add(reminder[0])
            reminder = due_reminder(snapshot, policy, anchors, auto_at, frozenset(sent))
        updated = snapshot.replace(reminders_sent=frozenset(sent))
        if command.overtaken_by:
            return _stale_reminder(snapshot, updated, command, now, policy, index)
        return _accept(updated, command, now, ("buyer",), reminder=index)
    last = snapshot.last_seller_reminder_at
    rule = policy.seller_reminder_allowed_from
    if last is not None and rule is not None:
        allowed_from = rule.at({"last_seller_reminder_at": last}, policy.zone)
        if now < allowed_from:
            return Rejected(
                ErrorCode.TOO_SOON,
                f"the buyer was reminded at {last.isoformat()}; "
                f"again from {allowed_from.isoformat()}",
                allowed_from,
            )
    updated = snapshot.replace(last_seller_reminder_at=now)
    return _accept(updated, command, now, ("buyer",))


_OVERTAKING = frozenset({"proxy_rate_at", "auto_complete_at"})


def _stale_reminder(snapshot, updated, command, now, policy, index):
    """A reminder overtaken by a later timer that is already due (see process/timers.py):
    recorded as sent, so it never comes later, but skipped — nobody is told."""
    name = command.overtaken_by
    later = getattr(deadlines(snapshot, policy), name) if name in _OVERTAKING else None
    if later is None or later > now:
        return Rejected(ErrorCode.INVALID_INPUT, f"the reminder is not overtaken by {name!r}")
    return _accept(updated, command, now, (), reminder=index, skipped=True, overtaken_by=name)


def _rate(snapshot, command, now, policy):
    wanted = SHIPPED if command.actor is BUYER else AWAITING_SELLER_RATING
    if snapshot.state is not wanted:
        return _wrong_state(snapshot, command)
    problem = _check_rating(command, policy)
    if problem:
        return problem
    # _check_rating passed, so the rating is one of _RATINGS (same member as Rating(...)).
    given = GivenRating(_RATINGS[command.rating], command.comment, command.actor, now)
    data = {"rating": str(given.rating), "comment": given.comment}
    if command.actor is BUYER:
        updated, postings = _receipt_evaluated(
            snapshot, now, policy, given, OperatorRequestStatus.RESOLVED_BY_BUYER
        )
        return _accept(updated, command, now, ("seller",), postings, **data)
    updated, postings = _completed(snapshot, now, policy, seller_rating=given)
    return _accept(updated, command, now, ("buyer",), postings, **data)


def _request_operator(snapshot, command, now, policy):
    if snapshot.state is not SHIPPED:
        return _wrong_state(snapshot, command)
    if snapshot.operator_request is not None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "the operator has already been asked")
    if policy.operator_request_only_if_buyer_silent and snapshot.buyer_messaged_since_shipping:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE,
            "the buyer has written since the shipping notice; under this policy the operator "
            "can only be asked while the buyer is silent",
        )
    known = known_deadlines(snapshot, policy)
    if known is not None:
        allowed_from = known.operator_request_allowed_from
    else:
        allowed_from = operator_request_allowed_from(snapshot, policy)
    if allowed_from is None:
        return _wrong_state(snapshot, command)
    if now < allowed_from:
        return _too_early("asking the operator", allowed_from)
    request = OperatorRequest(status=OPEN_REQUEST, opened_at=now)
    return _accept(snapshot.replace(operator_request=request), command, now, PARTIES)


def _report_problem(snapshot, command, now, policy):
    if snapshot.state is not SHIPPED:
        return _claim(snapshot, command, now, policy)
    if snapshot.problem_open:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "a problem report is already open")
    # The text is what support needs to act on: a blank report is refused.
    problem = _check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="problem text")
    if problem:
        return problem
    report = ProblemReport(reported_at=now, text=command.text)
    return _accept(
        snapshot.replace(problem_report=report), command, now, ("seller",), text=command.text
    )


def _claim(snapshot, command, now, policy):
    """A problem reported after the receipt evaluation (and so after the payout, which a
    claims policy makes at the evaluation): allowed until the policy's claims window closes.
    It opens a case for the operator and pauses the seller's rating window."""
    if snapshot.state not in CLAIM_STATES or not policy.claim_window_closes_at:
        return _wrong_state(snapshot, command)
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
    problem = _check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="problem text")
    if problem:
        return problem
    report = ProblemReport(reported_at=now, text=command.text)
    return _accept(
        snapshot.replace(problem_report=report),
        command,
        now,
        ("seller",),
        text=command.text,
        claim=True,
    )


def _proxy_rate(snapshot, command, now, policy):
    if snapshot.state is not SHIPPED:
        return _wrong_state(snapshot, command)
    on_behalf: RatingOnBehalf
    if command.actor is SYSTEM:
        if policy.auto_evaluation is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE, "this policy has no automatic receipt evaluation"
            )
        due = _auto_complete_at(snapshot, policy)
        if due is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE,
                "automatic evaluation is paused by an open problem report",
            )
        if now < due:
            return _too_early("the automatic receipt evaluation", due)
        on_behalf = policy.auto_evaluation.on_behalf
    else:
        allowed_from = operator_proxy_allowed_from(snapshot, policy)
        if allowed_from is None:
            return Rejected(
                ErrorCode.NOT_ALLOWED_IN_STATE,
                "there is no open operator request or problem report",
            )
        if now < allowed_from:
            return _too_early("rating on the buyer's behalf", allowed_from)
        on_behalf = policy.operator_proxy_rating
    given = GivenRating(on_behalf.rating, on_behalf.comment, command.actor, now)
    updated, postings = _receipt_evaluated(
        snapshot, now, policy, given, OperatorRequestStatus.PROXY_RATED
    )
    return _accept(
        updated, command, now, PARTIES, postings, rating=given.rating.value, comment=given.comment
    )


def _cancel(snapshot, command, now, policy):
    actor, state = command.actor, snapshot.state
    problem = _check_text(command.reason, required=False, limit=MAX_TEXT_LENGTH, what="reason")
    if actor is OPERATOR:
        if state not in (AWAITING_SHIPMENT, SHIPPED):
            return _wrong_state(snapshot, command)
    elif actor is SELLER:
        if not policy.seller_may_cancel_before_shipping:
            return Rejected(ErrorCode.FORBIDDEN_ACTOR, "this policy does not let the seller cancel")
        if state is not AWAITING_SHIPMENT:
            return _wrong_state(snapshot, command)
    else:
        rule = policy.buyer_may_cancel_from if actor is BUYER else policy.auto_cancel_at
        if rule is None:
            return Rejected(
                ErrorCode.FORBIDDEN_ACTOR, f"this policy does not let the {actor} cancel"
            )
        if state is not AWAITING_SHIPMENT:
            return _wrong_state(snapshot, command)
        found = deadlines(snapshot, policy)
        allowed_from = found.buyer_cancel_allowed_from if actor is BUYER else found.auto_cancel_at
        if now < allowed_from:
            return _too_early("cancelling", allowed_from)
    if problem:
        return problem
    return _cancelled(snapshot, command, now, _others(actor), reason=command.reason)


def _complete(snapshot, command, now, policy):
    if snapshot.state is not AWAITING_SELLER_RATING:
        return _wrong_state(snapshot, command)
    known = known_deadlines(snapshot, policy)
    if known is not None:
        closes_at = known.seller_rating_closes_at
    else:
        closes_at = seller_rating_closes_at(snapshot, policy)
    if closes_at is None and snapshot.problem_open:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE, "the seller's rating window is paused by a claim"
        )
    if closes_at is None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "this policy waits for the seller's rating")
    if now < closes_at:
        return _too_early("completing without the seller's rating", closes_at)
    updated, postings = _completed(snapshot, now, policy)
    return _accept(updated, command, now, PARTIES, postings)


def _resolve_problem(snapshot, command, now, policy):
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
        return _wrong_state(snapshot, command)
    if not snapshot.problem_open:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "there is no open problem report")
    problem = _check_text(command.text, required=False, limit=MAX_TEXT_LENGTH, what="text")
    if problem:
        return problem
    report = snapshot.problem_report
    closed = ProblemReport(report.reported_at, report.text, now)
    updated = snapshot.replace(problem_report=closed, problem_resolved_at=now)
    withdrawn = command.actor is BUYER
    notify = ("seller",) if withdrawn else PARTIES
    return _accept(updated, command, now, notify, text=command.text, withdrawn=withdrawn)


def _resolve_claim(snapshot, command, now, policy):
    """Staff settle a claim after the payout: no refund, part of the price or all of it
    (`refund`, yen, at most what has not been refunded yet); the buyer may withdraw their own
    claim (no refund). The money comes back from the seller's side (ledger.claim_refund)."""
    if not snapshot.problem_open:
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
    problem = _check_text(command.text, required=False, limit=MAX_TEXT_LENGTH, what="text")
    if problem:
        return problem
    report = snapshot.problem_report
    closed = ProblemReport(report.reported_at, report.text, now)
    updated = snapshot.replace(
        problem_report=closed,
        problem_resolved_at=now,
        refunded_after_payout=snapshot.refunded_after_payout + refund,
    )
    postings = (ledger.claim_refund_posting(refund),) if refund else ()
    withdrawn = command.actor is BUYER
    notify = ("seller",) if withdrawn else PARTIES
    return _accept(
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


def _no_cancel_by_agreement(policy: Policy) -> Rejected | None:
    if policy.cancel_request_expires_at is None:
        return Rejected(
            ErrorCode.FORBIDDEN_ACTOR, "this policy has no cancellation by mutual agreement"
        )
    return None


def _request_cancel(snapshot, command, now, policy):
    refused = _no_cancel_by_agreement(policy)
    if refused:
        return refused
    if snapshot.state not in CANCEL_REQUEST_STATES:
        return _wrong_state(snapshot, command)
    if snapshot.cancel_request is not None:
        return Rejected(
            ErrorCode.NOT_ALLOWED_IN_STATE, "a cancellation request is waiting for an answer"
        )
    problem = _check_text(command.reason, required=True, limit=MAX_TEXT_LENGTH, what="reason")
    if problem:
        return problem
    asked = CancelRequest(command.actor, now, command.reason)
    updated = snapshot.replace(cancel_request=asked)
    return _accept(updated, command, now, _others(command.actor), reason=command.reason)


def _pending_cancel(snapshot, command) -> Rejected | None:
    """The answer's preconditions: a request waiting, answered by the other party."""
    if snapshot.state not in CANCEL_REQUEST_STATES:
        return _wrong_state(snapshot, command)
    asked = snapshot.cancel_request
    if asked is None:
        return Rejected(ErrorCode.NOT_ALLOWED_IN_STATE, "there is no cancellation request")
    if asked.by is command.actor:
        return Rejected(
            ErrorCode.FORBIDDEN_ACTOR, "the other party answers your cancellation request"
        )
    return None


def _accept_cancel(snapshot, command, now, policy):
    refused = _pending_cancel(snapshot, command)
    if refused:
        return refused
    asked = snapshot.cancel_request
    return _cancelled(
        snapshot,
        command,
        now,
        (asked.by.value,),
        reason=asked.reason,
        requested_by=asked.by.value,
    )


def _decline_cancel(snapshot, command, now, policy):
    refused = _pending_cancel(snapshot, command)
    if refused:
        return refused
    problem = _check_text(command.reason, required=False, limit=MAX_TEXT_LENGTH, what="reason")
    if problem:
        return problem
    asked = snapshot.cancel_request
    expired = command.actor is SYSTEM
    if expired:
        answer_by = policy.cancel_request_expires_at.at(
            {"cancel_requested_at": asked.requested_at}, policy.zone
        )
        if now < answer_by:
            return _too_early("closing the cancellation request unanswered", answer_by)
    notify = PARTIES if expired else (asked.by.value,)
    return _accept(
        snapshot.replace(cancel_request=None),
        command,
        now,
        notify,
        reason=command.reason,
        requested_by=asked.by.value,
        expired=expired,
    )


_HANDLERS: dict[Action, Callable[[TradeSnapshot, Command, datetime, Policy], Decision]] = {
    Action.PURCHASE: _purchase,
    Action.MESSAGE: _message,
    Action.SHIP: _ship,
    Action.DELIVER: _deliver,
    Action.REMIND: _remind,
    Action.RATE: _rate,
    Action.REQUEST_OPERATOR: _request_operator,
    Action.REPORT_PROBLEM: _report_problem,
    Action.PROXY_RATE: _proxy_rate,
    Action.CANCEL: _cancel,
    Action.COMPLETE: _complete,
    Action.RESOLVE_PROBLEM: _resolve_problem,
    Action.REQUEST_CANCEL: _request_cancel,
    Action.ACCEPT_CANCEL: _accept_cancel,
    Action.DECLINE_CANCEL: _decline_cancel,
}

"""The parties' own ratings: the buyer's is the receipt evaluation (受取評価), the seller's
completes the trade."""

from __future__ import annotations

from datetime import datetime

from furima.process.commands import Command
from furima.process.decision import BUYER, RATINGS, Decision, accept, check_rating, wrong_state
from furima.process.handlers.transitions import completed, receipt_evaluated
from furima.process.model import (
    AWAITING_SELLER_RATING,
    SHIPPED,
    GivenRating,
    OperatorRequestStatus,
    TradeSnapshot,
)
from furima.process.policy import Policy


def rate(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    wanted = SHIPPED if command.actor is BUYER else AWAITING_SELLER_RATING
    if snapshot.state is not wanted:
        return wrong_state(snapshot, command)
    problem = check_rating(command, policy)
    if problem:
        return problem
    # check_rating passed, so the rating is one of RATINGS (same member as Rating(...)).
    assert command.rating is not None  # check_rating refuses a missing rating
    given = GivenRating(RATINGS[command.rating], command.comment, command.actor, now)
    data = {"rating": str(given.rating), "comment": given.comment}
    if command.actor is BUYER:
        updated, postings = receipt_evaluated(
            snapshot, now, policy, given, OperatorRequestStatus.RESOLVED_BY_BUYER
        )
        return accept(updated, command, now, ("seller",), postings, **data)
    updated, postings = completed(snapshot, now, policy, seller_rating=given)
    return accept(updated, command, now, ("buyer",), postings, **data)

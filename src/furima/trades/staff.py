"""Staff steps that do not move the trade, logged in its event log with the staff member's
name (the issue's rule: every staff action is in the trade's log): answering or taking an
inquiry about the trade, and retrying a timer that failed.

These steps are for the desk's eyes. The parties never see them in the trade's timeline or
through the API (`STAFF_ONLY_EVENTS`): a seller's inquiry about a trade is not the buyer's
business, and a retried timer is the platform's own housekeeping. Nobody is notified by the
note itself (an inquiry's answer tells its person through the inquiry).
"""

from __future__ import annotations

from django.db import transaction

from furima import clock
from furima.process import Action, Actor, Command
from furima.trades.errors import Conflict, Unauthenticated
from furima.trades.models import Trade, TradeEvent
from furima.trades.persist import record_note
from furima.trades.services import _authorise, _lock

STAFF_INQUIRY_ANSWER = "staff_inquiry_answer"
"""Staff answered an inquiry tied to the trade."""
STAFF_INQUIRY_STATUS = "staff_inquiry_status"
"""Staff took (in progress) or closed an inquiry tied to the trade."""
STAFF_TIMER_RETRY = "staff_timer_retry"
"""Staff asked for a failing timer to be tried again now instead of after its backoff."""
STAFF_ONLY_EVENTS = frozenset({STAFF_INQUIRY_ANSWER, STAFF_INQUIRY_STATUS, STAFF_TIMER_RETRY})
"""Events in the trade's log that only staff see."""

_AS_OPERATOR = Command(actor=Actor.OPERATOR, action=Action.MESSAGE)


def _locked_for_staff(trade_id: int, user) -> Trade:
    """The trade, row-locked, if `user` may act on it as the operator (staff, and not a party
    to it): the same authorisation as every operator step."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in to act on a trade")
    trade = _lock(trade_id)
    _authorise(trade, user, _AS_OPERATOR)
    return trade


def trade_staff_note(*, trade_id: int, user, action: str, data: dict) -> TradeEvent:
    """Log a staff-only step on the trade, with the staff member's name. Runs in the
    caller's transaction if there is one (a savepoint), so the note and what it records
    commit together; call it before locking anything else (the trade row is locked first)."""
    if action not in STAFF_ONLY_EVENTS:
        raise ValueError(f"{action!r} is not a staff note")
    with transaction.atomic():
        trade = _locked_for_staff(trade_id, user)
        return record_note(
            trade,
            at=clock.now(),
            actor=Actor.OPERATOR.value,
            action=action,
            user=user,
            data={**data, "staff": str(user)},
            notify=(),
        )


def trade_timer_retry(*, trade_id: int, user) -> TradeEvent:
    """A timer that failed and is backing off (`backoff.py`) is due again now: the worker's
    next sweep tries it, through the same path as every timer. For use once the cause is
    fixed, instead of waiting up to an hour for the next attempt. The failure record stays
    until the timer succeeds (a retry that fails again backs off further)."""
    with transaction.atomic():
        trade = _locked_for_staff(trade_id, user)
        if not trade.timer_failures or trade.next_timer_at is None:
            raise Conflict(f"trade {trade.pk} has no failing timer to retry")
        now = clock.now()
        event = record_note(
            trade,
            at=now,
            actor=Actor.OPERATOR.value,
            action=STAFF_TIMER_RETRY,
            user=user,
            data={
                "staff": str(user),
                "timer": trade.next_timer_name,
                "failures": trade.timer_failures,
                "error": trade.timer_last_error[:200],
            },
            notify=(),
        )
        if trade.next_timer_at > now:
            Trade.objects.filter(pk=trade.pk).update(next_timer_at=now)
    return event

"""The ordinary course of a trade: the purchase, messages between the parties, the seller's
shipping notice and the carrier's delivery confirmation."""

from __future__ import annotations

from datetime import datetime

from furima.process import ledger
from furima.process.commands import MAX_TEXT_LENGTH, MAX_TRACKING_NUMBER_LENGTH, Command
from furima.process.decision import (
    BUYER,
    PARTIES,
    Decision,
    accept,
    check_text,
    others,
    wrong_state,
)
from furima.process.model import AWAITING_SELLER_RATING, AWAITING_SHIPMENT, SHIPPED, TradeSnapshot
from furima.process.policy import Policy

ACTIVE_STATES = frozenset({AWAITING_SHIPMENT, SHIPPED, AWAITING_SELLER_RATING})
"""Where the parties may still write to each other."""


def purchase(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state is not None:
        return wrong_state(snapshot, command)
    updated = snapshot.replace(state=AWAITING_SHIPMENT, purchased_at=now)
    posting = ledger.purchase_posting(snapshot.price)
    return accept(
        updated,
        command,
        now,
        ("seller",),
        (posting,),
        price=snapshot.price,
        ship_within=snapshot.ship_within,
    )


def message(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state not in ACTIVE_STATES:
        return wrong_state(snapshot, command)
    problem = check_text(command.text, required=True, limit=MAX_TEXT_LENGTH, what="message text")
    if problem:
        return problem
    updated = snapshot
    if command.actor is BUYER:
        updated = snapshot.replace(last_buyer_message_at=now)
    return accept(updated, command, now, others(command.actor), text=command.text)


def ship(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state is not AWAITING_SHIPMENT:
        return wrong_state(snapshot, command)
    problem = check_text(
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
    return accept(updated, command, now, ("buyer",), tracking_number=updated.tracking_number)


def deliver(snapshot: TradeSnapshot, command: Command, now: datetime, policy: Policy) -> Decision:
    if snapshot.state is not SHIPPED:
        return wrong_state(snapshot, command)
    if snapshot.delivered_at is not None:
        # Carriers resend webhooks: the first confirmation counts, repeats change nothing.
        return accept(snapshot, command, now, (), repeated=True)
    updated = snapshot.replace(delivered_at=now)
    return accept(updated, command, now, PARTIES)

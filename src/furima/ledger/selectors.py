"""Reads from the ledger: balances and statements. (The invariants that tie the ledger to the
trades are checked above both, in `trades/ledger_checks.py`.)

Balances are sums of entries (see models.py for why nothing stores them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from furima.ledger.models import AccountKind, LedgerEntry


def sales_balance(*, user) -> int:
    """The seller's sales balance (売上金): released sales minus the platform's fees."""
    return _sum(
        LedgerEntry.objects.filter(account__kind=AccountKind.SELLER_SALES, account__user=user)
    )


def seller_debt(*, user) -> int:
    """What the seller owes the platform guarantee: refunds after the payout that their sales
    balance could not cover, less what their later sales paid back (0 when nothing is owed)."""
    return -_sum(
        LedgerEntry.objects.filter(
            account__kind=AccountKind.PLATFORM_GUARANTEE, posting__trade__seller=user
        )
    )


def buyer_payments_balance(*, user) -> int:
    """What the user paid for purchases, less refunds, as a negative number."""
    return _sum(
        LedgerEntry.objects.filter(account__kind=AccountKind.BUYER_PAYMENTS, account__user=user)
    )


def trade_escrow_balance(*, trade_id: int) -> int:
    """Money held in escrow for one trade."""
    return _sum(
        LedgerEntry.objects.filter(account__kind=AccountKind.ESCROW, posting__trade_id=trade_id)
    )


def platform_fees_balance() -> int:
    return _sum(LedgerEntry.objects.filter(account__kind=AccountKind.PLATFORM_FEES))


def _sum(entries) -> int:
    return entries.aggregate(total=Sum("amount"))["total"] or 0


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One movement of a seller's sales balance (売上金), with the balance after it: a
    trade's (sale, refund…) or a payout request's (requested, rejected and returned)."""

    at: datetime
    kind: str  # the posting's kind: "release" (a sale, less the fee), "refund", "payout_request"…
    trade_id: int | None
    title: str
    price: int
    amount: int  # + arrives in the balance, - leaves it
    balance: int
    payout_id: int | None = None
    transfer_fee: int = 0  # of a payout request: the part of `amount` the fee takes

    @property
    def fee(self) -> int:
        if self.kind == "release":
            return self.price - self.amount
        return self.transfer_fee if self.kind == "payout_request" else 0


def sales_statement(*, user, limit: int = 100) -> list[StatementLine]:
    """Every posting on the user's sales balance, from the ledger itself, newest first,
    each with the running balance after it (summed oldest first, so the newest line's
    balance is `sales_balance`)."""
    entries = (
        LedgerEntry.objects.filter(account__kind=AccountKind.SELLER_SALES, account__user=user)
        .select_related("posting__trade__listing", "posting__payout")
        .order_by("posting__at", "posting_id", "id")
    )
    lines, running = [], 0
    for entry in entries:
        running += entry.amount
        posting, trade, payout = entry.posting, entry.posting.trade, entry.posting.payout
        lines.append(
            StatementLine(
                at=posting.at,
                kind=posting.kind,
                trade_id=posting.trade_id,
                title=trade.listing.title if trade is not None else "",
                price=trade.price if trade is not None else 0,
                amount=entry.amount,
                balance=running,
                payout_id=posting.payout_id,
                transfer_fee=payout.fee if payout is not None else 0,
            )
        )
    return lines[::-1][:limit]

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
    """One movement of a seller's sales balance (売上金), with the balance after it."""

    at: datetime
    kind: str  # the posting's kind: "release" (a sale, less the fee), "refund", …
    trade_id: int
    title: str
    price: int
    amount: int  # + arrives in the balance, - leaves it
    balance: int

    @property
    def fee(self) -> int:
        return self.price - self.amount if self.kind == "release" else 0


def sales_statement(*, user, limit: int = 100) -> list[StatementLine]:
    """Every posting on the user's sales balance, from the ledger itself, newest first,
    each with the running balance after it (summed oldest first, so the newest line's
    balance is `sales_balance`)."""
    entries = (
        LedgerEntry.objects.filter(account__kind=AccountKind.SELLER_SALES, account__user=user)
        .select_related("posting__trade__listing")
        .order_by("posting__at", "posting_id", "id")
    )
    lines, running = [], 0
    for entry in entries:
        running += entry.amount
        posting = entry.posting
        lines.append(
            StatementLine(
                at=posting.at,
                kind=posting.kind,
                trade_id=posting.trade_id,
                title=posting.trade.listing.title,
                price=posting.trade.price,
                amount=entry.amount,
                balance=running,
            )
        )
    return lines[::-1][:limit]

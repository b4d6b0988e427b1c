"""Reads from the ledger: balances, and the invariants that must always hold.

Balances are sums of entries (see models.py for why nothing stores them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from furima.ledger.models import AccountKind, LedgerAccount, LedgerEntry
from furima.process import State, default_registry
from furima.process.ledger import fee_for


def account_balance(*, account: LedgerAccount) -> int:
    return _sum(LedgerEntry.objects.filter(account=account))


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


def ledger_invariant_violations() -> list[str]:
    """Everything wrong with the ledger, as sentences; empty when it is sound.

    * every posting balances, and the ledger as a whole sums to zero;
    * a completed or cancelled trade holds nothing in escrow, and a running one holds its
      price until the escrow is released;
    * every seller's sales balance, less what they owe the guarantee, equals what their
      released trades earned (the price less the fee of the policy the trade is pinned to)
      less the refunds after the payout on their trades;
    * nobody's debt to the guarantee is negative (the guarantee never pays a seller);
    * payouts: each request's postings hold, account by account, what its status says
      (requested: the amount out of the seller's balance, the transfer in payable, the fee
      in transfer fees; paid: the transfer paid out instead; rejected: nothing), and the
      sellers' balances above are net of their requested and paid payouts.
    """
    from furima.payouts.models import Payout  # the ledger sits below payouts and trades
    from furima.trades.models import Trade

    problems: list[str] = []
    unbalanced = (
        LedgerEntry.objects.values("posting_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("posting_id", "total")
    )
    problems += [f"posting {pk} sums to {total}, not 0" for pk, total in unbalanced]
    total = _sum(LedgerEntry.objects.all())
    if total:
        problems.append(f"the ledger sums to {total}, not 0")

    escrow = dict(
        LedgerEntry.objects.filter(account__kind=AccountKind.ESCROW)
        .values("posting__trade_id")
        .annotate(total=Sum("amount"))
        .values_list("posting__trade_id", "total")
    )
    finished = {State.COMPLETED.value, State.CANCELLED.value}
    trades = Trade.objects.values_list("pk", "state", "price", "escrow_released")
    for trade_id, state, price, released in trades:
        held = escrow.get(trade_id, 0)
        expected = 0 if state in finished or released else price
        if held != expected:
            problems.append(
                f"trade {trade_id} ({state}) holds {held} yen in escrow, not {expected}"
            )

    registry = default_registry()
    earned: dict[int, int] = defaultdict(int)
    released = Trade.objects.filter(escrow_released=True).values_list(
        "seller_id", "price", "policy_id", "policy_version"
    )
    for seller_id, price, policy_id, version in released:
        earned[seller_id] += price - fee_for(price, registry.get(policy_id, version).fee_percent)
    balances = dict(
        LedgerEntry.objects.filter(account__kind=AccountKind.SELLER_SALES)
        .values("account__user_id")
        .annotate(total=Sum("amount"))
        .values_list("account__user_id", "total")
    )
    refunded = LedgerEntry.objects.filter(
        account__kind=AccountKind.BUYER_PAYMENTS, posting__kind="claim_refund"
    )
    for seller_id, total in (
        refunded.values("posting__trade__seller_id")
        .annotate(total=Sum("amount"))
        .values_list("posting__trade__seller_id", "total")
    ):
        earned[seller_id] -= total
    owed = {
        seller_id: -total
        for seller_id, total in LedgerEntry.objects.filter(
            account__kind=AccountKind.PLATFORM_GUARANTEE
        )
        .values("posting__trade__seller_id")
        .annotate(total=Sum("amount"))
        .values_list("posting__trade__seller_id", "total")
    }
    payouts = list(Payout.objects.values_list("pk", "seller_id", "status", "amount", "fee"))
    for _, seller_id, status, amount, _ in payouts:
        if status in ("requested", "paid"):
            earned[seller_id] -= amount
    problems += _payout_problems(payouts)
    for seller_id in earned.keys() | balances.keys() | owed.keys():
        held = balances.get(seller_id, 0) - owed.get(seller_id, 0)
        if held != earned.get(seller_id, 0):
            problems.append(
                f"seller {seller_id} has a sales balance of {balances.get(seller_id, 0)} yen "
                f"and owes {owed.get(seller_id, 0)} yen, but released trades earned "
                f"{earned.get(seller_id, 0)} yen after refunds"
            )
        if owed.get(seller_id, 0) < 0:
            problems.append(f"the guarantee owes seller {seller_id} {-owed[seller_id]} yen")
    return problems


def _payout_problems(payouts) -> list[str]:
    """Each payout request's entries against what its status says they must be."""
    expected: dict[tuple, int] = {}
    for pk, seller_id, status, amount, fee in payouts:
        if status == "requested":
            expected[(pk, AccountKind.SELLER_SALES.value, seller_id)] = -amount
            expected[(pk, AccountKind.PAYOUTS_PAYABLE.value, None)] = amount - fee
            expected[(pk, AccountKind.PAYOUT_FEES.value, None)] = fee
        elif status == "paid":
            expected[(pk, AccountKind.SELLER_SALES.value, seller_id)] = -amount
            expected[(pk, AccountKind.PAYOUTS_PAID.value, None)] = amount - fee
            expected[(pk, AccountKind.PAYOUT_FEES.value, None)] = fee
    held = {
        (payout_id, kind, user_id): total
        for payout_id, kind, user_id, total in LedgerEntry.objects.filter(
            posting__payout__isnull=False
        )
        .values("posting__payout_id", "account__kind", "account__user_id")
        .annotate(total=Sum("amount"))
        .values_list("posting__payout_id", "account__kind", "account__user_id", "total")
    }
    problems = []
    for key in sorted(expected.keys() | held.keys(), key=str):
        if held.get(key, 0) != expected.get(key, 0):
            payout_id, kind, user_id = key
            whose = f" of user {user_id}" if user_id else ""
            problems.append(
                f"payout {payout_id} holds {held.get(key, 0)} yen in {kind}{whose}, "
                f"not {expected.get(key, 0)}"
            )
    return problems


def accounts_of(*, user) -> list[LedgerAccount]:
    return list(LedgerAccount.objects.filter(user=user).order_by("kind"))


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

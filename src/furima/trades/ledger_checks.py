"""The ledger's invariants, checked against the trades it books: above both apps, since the
checks read trades (escrow per trade, what released trades earned their sellers) as well as
the entries. The test suite runs them after every test that touches the database."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from furima.ledger.models import AccountKind, LedgerEntry
from furima.process import State, default_registry
from furima.process.ledger import fee_for
from furima.trades.models import Trade


def ledger_invariant_violations() -> list[str]:
    """Everything wrong with the ledger, as sentences; empty when it is sound.

    * every posting balances, and the ledger as a whole sums to zero;
    * a completed or cancelled trade holds nothing in escrow, and a running one holds its
      price until the escrow is released;
    * every seller's sales balance, less what they owe the guarantee, equals what their
      released trades earned (the price less the fee of the policy the trade is pinned to)
      less the refunds after the payout on their trades;
    * nobody's debt to the guarantee is negative (the guarantee never pays a seller).

    Payout requests (振込申請) move sales balances too; those postings name a payout, not a
    trade, and are checked against the requests by `furima.payouts.ledger_checks` (which
    runs these checks as well). The balances here are the trade postings' part.
    """
    problems: list[str] = []
    unbalanced = (
        LedgerEntry.objects.values("posting_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("posting_id", "total")
    )
    problems += [f"posting {pk} sums to {total}, not 0" for pk, total in unbalanced]
    total = LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or 0
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
    sold = Trade.objects.filter(escrow_released=True).values_list(
        "seller_id", "price", "policy_id", "policy_version"
    )
    for seller_id, price, policy_id, version in sold:
        earned[seller_id] += price - fee_for(price, registry.get(policy_id, version).fee_percent)
    balances = dict(
        LedgerEntry.objects.filter(
            account__kind=AccountKind.SELLER_SALES, posting__trade__isnull=False
        )
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

"""The ledger's invariants, payouts included: the trade checks
(`furima.trades.ledger_checks`) plus each payout request's postings against its status.
Here, above both, because the checks read the requests as well as the entries. The test
suite runs `ledger_invariant_violations` after every test that touches the database."""

from __future__ import annotations

from django.db.models import Sum

from furima.ledger.models import AccountKind, LedgerEntry
from furima.payouts.models import Payout, PayoutStatus
from furima.trades import ledger_checks as trade_checks

SALES = AccountKind.SELLER_SALES.value
PAYABLE = AccountKind.PAYOUTS_PAYABLE.value
PAID = AccountKind.PAYOUTS_PAID.value
FEES = AccountKind.PAYOUT_FEES.value


def ledger_invariant_violations() -> list[str]:
    """Everything wrong with the ledger, as sentences; empty when it is sound."""
    return trade_checks.ledger_invariant_violations() + payout_ledger_problems()


def payout_ledger_problems() -> list[str]:
    """Each payout request's entries, account by account, against what its status says:

    * requested: the amount out of the seller's own sales balance, the transfer (amount less
      fee) in payable, the fee in the transfer fees;
    * paid: the same, with the transfer moved on from payable to paid out;
    * rejected: nothing anywhere (all of it went back).
    """
    expected: dict[tuple, int] = {}
    for pk, seller_id, status, amount, fee in Payout.objects.values_list(
        "pk", "seller_id", "status", "amount", "fee"
    ):
        if status == PayoutStatus.REJECTED:
            continue
        expected[(pk, SALES, seller_id)] = -amount
        expected[(pk, PAYABLE if status == PayoutStatus.REQUESTED else PAID, None)] = amount - fee
        expected[(pk, FEES, None)] = fee
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

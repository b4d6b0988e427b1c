"""The ledger: balanced postings, per-user accounts, and the invariant check that runs after
every database test."""

from __future__ import annotations

from furima.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting
from furima.ledger.selectors import (
    platform_fees_balance,
    sales_balance,
)
from furima.trades.ledger_checks import ledger_invariant_violations
from furima.trades.models import TradeEvent
from tests.factories import make_trade


def test_a_completed_trade_pays_the_seller_and_the_platform_and_nothing_is_left_over(db, clock):
    trade = make_trade("completed", price=10_000)

    assert sales_balance(user=trade.seller) == 9_500
    assert platform_fees_balance() == 500
    assert ledger_invariant_violations() == []


def test_each_user_has_one_account_of_each_kind(db, clock):
    first = make_trade("completed")
    make_trade("completed", seller=first.seller, buyer=first.buyer)

    kinds = list(LedgerAccount.objects.filter(user=first.seller).values_list("kind", flat=True))
    assert kinds == ["seller_sales"]
    assert LedgerAccount.objects.filter(user=first.buyer, kind="buyer_payments").count() == 1
    assert LedgerAccount.objects.filter(user__isnull=True).count() == 2  # escrow, fees


def test_a_cancelled_trade_refunds_the_buyer_in_full(db, clock):
    trade = make_trade("cancelled", price=4_000)

    kinds = list(LedgerPosting.objects.filter(trade=trade).values_list("kind", flat=True))
    assert kinds == ["purchase", "refund"]
    assert sales_balance(user=trade.seller) == 0


def test_the_invariant_check_names_an_unbalanced_posting(db, clock):
    trade = make_trade("shipped")
    posting = LedgerPosting.objects.create(
        trade=trade,
        event=TradeEvent.objects.filter(trade=trade).last(),
        kind="release",
        at=trade.shipped_at,
    )
    seller_account, _ = LedgerAccount.objects.get_or_create(kind="seller_sales", user=trade.seller)
    LedgerEntry.objects.create(posting=posting, account=seller_account, amount=100)

    problems = ledger_invariant_violations()

    assert f"posting {posting.pk} sums to 100, not 0" in problems
    assert any("sums to 100" in p and "ledger" in p for p in problems)
    assert any(f"seller {trade.seller.pk}" in p for p in problems)
    posting.entries.all().delete()  # leave the ledger sound for the after-test check
    posting.delete()

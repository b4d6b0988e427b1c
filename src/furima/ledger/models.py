"""The double-entry ledger: accounts, and postings made of entries that sum to zero.

Integer yen. An entry's amount is positive when money arrives in the account and negative
when it leaves, so every posting sums to zero and so does the whole ledger.

Balances are sums of entries, never stored counters: a stored balance would be one row that
every trade of a busy seller (and every trade at all, for the platform's fee income) has to
lock until it commits, which would serialise the workers. Entries are indexed by account (the
foreign key's own index).

Accounts:
* `buyer_payments` (per user): what the buyer paid in (negative) and got back (positive).
* `escrow` (one): money held for trades; each posting names its trade, so a trade's escrow
  is the sum of its postings' escrow entries.
* `seller_sales` (per user): the seller's sales balance (売上金).
* `platform_fees` (one): the platform's fee income.
* `platform_guarantee` (one): buyer protection. A refund after the payout (a claim, under a
  policy with a claims window) comes from the seller's sales balance; what the balance cannot
  cover is paid from here and is owed by the seller, netted from their next sales (which
  pay it back here). Its balance is minus what sellers still owe; a seller's debt is minus
  the sum of its entries on that seller's trades.
* `payouts_payable` (one): sales balance a seller asked to be transferred (振込申請), less
  the transfer fee, until staff mark the transfer paid (or reject it: back to the balance).
* `payouts_paid` (one): what left the platform to sellers' bank accounts.
* `payout_fees` (one): the platform's income from transfer fees (kept apart from the trade
  fees, whose sum the simulator and the invariants compare with the policies' rates).

A posting belongs either to a trade (and the trade event that caused it) or to a payout
request (`furima.payouts`), never both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    BUYER_PAYMENTS = "buyer_payments", _("buyer payments")
    ESCROW = "escrow", _("escrow")
    SELLER_SALES = "seller_sales", _("sales balance")
    PLATFORM_FEES = "platform_fees", _("platform fees")
    PLATFORM_GUARANTEE = "platform_guarantee", _("platform guarantee")
    PAYOUTS_PAYABLE = "payouts_payable", _("payouts to transfer")
    PAYOUTS_PAID = "payouts_paid", _("payouts transferred")
    PAYOUT_FEES = "payout_fees", _("transfer fees")


PER_USER_KINDS = frozenset({AccountKind.BUYER_PAYMENTS, AccountKind.SELLER_SALES})
# In a fixed order (the first migration's): a frozenset's order changes from run to run, and
# the constraint below would then look changed to `makemigrations`.
_PER_USER_VALUES = [AccountKind.SELLER_SALES.value, AccountKind.BUYER_PAYMENTS.value]


class LedgerAccount(models.Model):
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=Q(user__isnull=False),
                name="ledger_account_per_user",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(user__isnull=True), name="ledger_account_shared"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_PER_USER_VALUES, user__isnull=False)
                | (~Q(kind__in=_PER_USER_VALUES) & Q(user__isnull=True)),
                name="ledger_account_owner_matches_kind",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind}:{self.user_id}" if self.user_id else self.kind


class PostingKind(models.TextChoices):
    PURCHASE = "purchase", _("payment into escrow")
    RELEASE = "release", _("release to the seller")
    REFUND = "refund", _("refund to the buyer")
    CLAIM_REFUND = "claim_refund", _("refund after the payout")
    PAYOUT_REQUEST = "payout_request", _("payout requested")
    PAYOUT_PAID = "payout_paid", _("payout transferred")
    PAYOUT_REJECTED = "payout_rejected", _("payout rejected")


class LedgerPosting(models.Model):
    """One balanced movement of money, caused by one trade event or one step of a payout
    request. Append-only."""

    trade = models.ForeignKey(
        "trades.Trade",
        on_delete=models.PROTECT,
        related_name="postings",
        db_index=False,
        null=True,
        blank=True,
    )  # indexed by (trade, kind)
    event = models.ForeignKey(
        "trades.TradeEvent",
        on_delete=models.PROTECT,
        related_name="postings",
        db_index=False,  # events are never deleted
        null=True,
        blank=True,
    )
    payout = models.ForeignKey(
        "payouts.Payout",
        on_delete=models.PROTECT,
        related_name="postings",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=20, choices=PostingKind.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "id")
        indexes = (models.Index(fields=["trade", "kind"], name="posting_trade_kind_idx"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(trade__isnull=False, event__isnull=False, payout__isnull=True)
                | Q(trade__isnull=True, event__isnull=True, payout__isnull=False),
                name="posting_of_a_trade_or_a_payout",
            ),
        )

    def __str__(self) -> str:
        if self.payout_id is not None:
            return f"{self.kind} for payout {self.payout_id}"
        return f"{self.kind} for trade {self.trade_id}"


class LedgerEntry(models.Model):
    posting = models.ForeignKey(LedgerPosting, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()  # yen: + arrives, - leaves

    class Meta:
        constraints = (
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        )

    def __str__(self) -> str:
        return f"{self.account}: {self.amount:+}"

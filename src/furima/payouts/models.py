"""振込申請 (payout requests): a seller asks for (part of) their sales balance to be
transferred to their bank account; staff transfer it and mark it paid, or reject it.

The money moves in the ledger (`furima.ledger`), not here: the request posts the amount from
the seller's sales balance to the shared payable account (less the transfer fee, which is
the platform's), paying posts it from payable to `payouts_paid` (out of the platform, to the
bank), and a rejection posts it all back. A `Payout` row is the request and its status;
`ledger_invariant_violations` checks that the two always agree.

The bank account is copied onto each request: editing the account later must not change
where a request already in the queue is paid to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary (普通)")
    CURRENT = "current", _("Current (当座)")


class BankAccount(models.Model):
    """Where a seller's payouts go: one per seller, replaced when they edit it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="bank_account",
    )
    bank_name = models.CharField(_("bank"), max_length=40)
    branch_name = models.CharField(_("branch"), max_length=40)
    account_type = models.CharField(_("account type"), max_length=10, choices=AccountType.choices)
    number = models.CharField(_("account number"), max_length=7)  # 7 digits
    holder_kana = models.CharField(_("account holder (katakana)"), max_length=60)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.bank_name} {self.branch_name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return "•" * (len(self.number) - 3) + self.number[-3:]


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Payout(models.Model):
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveIntegerField()  # yen taken from the sales balance, fee included
    fee = models.PositiveIntegerField()  # yen: the transfer fee at the time of the request
    status = models.CharField(
        max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.REQUESTED
    )
    bank_name = models.CharField(max_length=40)
    branch_name = models.CharField(max_length=40)
    account_type = models.CharField(max_length=10, choices=AccountType.choices)
    account_number = models.CharField(max_length=7)
    holder_kana = models.CharField(max_length=60)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reject_reason = models.TextField(blank=True)
    # A repeated submit (the same form twice, an API retry) finds its first request here.
    idempotency_key = models.CharField(max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints = (
            models.CheckConstraint(condition=Q(amount__gt=F("fee")), name="payout_exceeds_fee"),
            models.UniqueConstraint(
                fields=["seller", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="payout_idempotency_key",
            ),
        )
        indexes = (
            # The desk's queue: open requests, oldest first.
            models.Index(
                fields=["requested_at"],
                condition=Q(status="requested"),
                name="payout_open_idx",
            ),
        )

    def __str__(self) -> str:
        return f"payout {self.pk} of {self.seller_id}: {self.amount} yen ({self.status})"

    @property
    def transfer(self) -> int:
        """What reaches the bank account: the amount less the transfer fee."""
        return self.amount - self.fee

    @property
    def masked_number(self) -> str:
        return "•" * (len(self.account_number) - 3) + self.account_number[-3:]

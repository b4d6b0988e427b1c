"""Reads for 振込申請: what a seller may request now, their requests, the desk's queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from furima.ledger.selectors import sales_balance, seller_debt
from furima.payouts.models import BankAccount, Payout, PayoutStatus


@dataclass(frozen=True, slots=True)
class PayoutOutlook:
    balance: int  # the sales balance (売上金)
    debt: int  # owed to the platform guarantee (refunds after the payout)
    available: int  # what may be requested: the balance less the debt
    fee: int  # the transfer fee taken from each request
    minimum: int  # the smallest request, fee included

    @property
    def can_request(self) -> bool:
        return self.available >= self.minimum


def payout_available(*, user) -> PayoutOutlook:
    balance = sales_balance(user=user)
    debt = seller_debt(user=user)
    return PayoutOutlook(
        balance=balance,
        debt=debt,
        available=max(balance - debt, 0),
        fee=settings.FURIMA_PAYOUT_FEE,
        minimum=settings.FURIMA_PAYOUT_MINIMUM,
    )


def bank_account_of(*, user) -> BankAccount | None:
    return BankAccount.objects.filter(user=user).first()


def payouts_of(*, user) -> QuerySet[Payout]:
    """The seller's requests, newest first."""
    return Payout.objects.filter(seller=user).order_by("-requested_at", "-id")


def payout_queue() -> QuerySet[Payout]:
    """The desk's queue: open requests, oldest first (they have waited longest)."""
    return (
        Payout.objects.select_related("seller")
        .filter(status=PayoutStatus.REQUESTED)
        .order_by("requested_at", "id")
    )


def payouts_decided() -> QuerySet[Payout]:
    """Requests staff have paid or rejected, most recently decided first."""
    return (
        Payout.objects.select_related("seller", "decided_by")
        .exclude(status=PayoutStatus.REQUESTED)
        .order_by("-decided_at", "-id")
    )


def payouts_open_count() -> int:
    return Payout.objects.filter(status=PayoutStatus.REQUESTED).count()

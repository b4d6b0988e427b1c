"""Writes for 振込申請: the bank account, a payout request, and staff marking it paid or
rejecting it. One transaction per call, which writes the request's status, its ledger
posting and the seller's notices together.

Money (see `furima.ledger.models`), for a request of `amount` yen with a transfer fee `fee`:

    request   sales balance  -amount  → payouts_payable +(amount - fee), payout_fees +fee
    paid      payouts_payable -(amount - fee) → payouts_paid +(amount - fee)
    rejected  the request's posting reversed: the whole amount back to the sales balance

What a seller may request is their sales balance less what they owe the platform guarantee
(refunds after the payout their balance could not cover): the platform lent them that
money, and a payout must not hand it out a second time.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from furima import clock
from furima.errors import Conflict, FurimaError, NotFound
from furima.idempotency import idempotency_key_clean, request_fingerprint
from furima.ledger.models import AccountKind
from furima.ledger.services import payout_posting_record, sales_account_lock
from furima.notify.services import notice_send, recipient_language, site_url
from furima.payouts.bank import bank_details_clean
from furima.payouts.models import BankAccount, Payout, PayoutStatus
from furima.payouts.selectors import payout_available

REASON_MAX = 1000

SALES = AccountKind.SELLER_SALES.value
PAYABLE = (AccountKind.PAYOUTS_PAYABLE.value, None)
PAID = (AccountKind.PAYOUTS_PAID.value, None)
FEES = (AccountKind.PAYOUT_FEES.value, None)


class InsufficientBalance(FurimaError):
    code = "insufficient_balance"


def bank_account_save(
    *, user, bank_name: str, branch_name: str, account_type: str, number: str, holder_kana: str
) -> BankAccount:
    """Registers or replaces the seller's bank account. Requests already made keep the
    account they were made with."""
    details = bank_details_clean(
        bank_name=bank_name,
        branch_name=branch_name,
        account_type=account_type,
        number=number,
        holder_kana=holder_kana,
    )
    with transaction.atomic():
        account, _ = BankAccount.objects.update_or_create(
            user=user,
            defaults={
                "bank_name": details.bank_name,
                "branch_name": details.branch_name,
                "account_type": details.account_type,
                "number": details.number,
                "holder_kana": details.holder_kana,
                "updated_at": clock.now(),
            },
        )
    return account


def payout_request(
    *, user, amount: int | None = None, idempotency_key: str | None = None
) -> Payout:
    """Asks for `amount` yen of the sales balance (fee included; `None`: everything that
    may be requested) to be transferred to the seller's bank account.

    The same `idempotency_key` again (a double submit, a client's retry) returns the first
    request and moves no money; with a different amount it is a `Conflict`."""
    key = idempotency_key_clean(idempotency_key)
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise FurimaError("amount: a whole number of yen")
    fingerprint = request_fingerprint("payout", amount=amount) if key else ""
    try:
        with transaction.atomic():
            return _request(user, amount, key, fingerprint)
    except IntegrityError:
        # Two submits with one key raced past the check: the first one's request stands.
        earlier = _earlier(user, key, fingerprint) if key else None
        if earlier is None:
            raise
        return earlier


def _request(user, amount, key, fingerprint) -> Payout:
    sales_account_lock(user_id=user.pk)  # first: everything below reads a settled balance
    if key:
        earlier = _earlier(user, key, fingerprint)
        if earlier is not None:
            return earlier
    bank = BankAccount.objects.filter(user=user).first()
    if bank is None:
        raise FurimaError("register the bank account to transfer to first")
    outlook = payout_available(user=user)
    if amount is None:
        amount = outlook.available
    if amount > outlook.available:
        raise InsufficientBalance(
            f"{amount} yen asked, {outlook.available} yen may be requested"
            + (f" ({outlook.debt} yen is owed to the platform)" if outlook.debt else "")
        )
    if amount < outlook.minimum:
        raise FurimaError(f"amount: at least {outlook.minimum} yen (the fee included)")
    now = clock.now()
    payout = Payout.objects.create(
        seller=user,
        amount=amount,
        fee=outlook.fee,
        bank_name=bank.bank_name,
        branch_name=bank.branch_name,
        account_type=bank.account_type,
        account_number=bank.number,
        holder_kana=bank.holder_kana,
        requested_at=now,
        idempotency_key=key or "",
        fingerprint=fingerprint,
    )
    payout_posting_record(
        payout=payout,
        kind="payout_request",
        at=now,
        amounts={(SALES, user.pk): -amount, PAYABLE: payout.transfer, FEES: payout.fee},
    )
    return payout


def _earlier(user, key: str, fingerprint: str) -> Payout | None:
    earlier = Payout.objects.filter(seller=user, idempotency_key=key).first()
    if earlier is not None and earlier.fingerprint != fingerprint:
        raise Conflict("this idempotency key was already used for a different request")
    return earlier


def payout_mark_paid(*, payout_id: int, user) -> Payout:
    """Staff transferred the money: payable → paid out. Marking a paid request again
    changes nothing (a double click); a rejected one cannot be paid."""
    with transaction.atomic():
        payout = _lock_open(payout_id, user, repeat=PayoutStatus.PAID)
        if payout.status == PayoutStatus.PAID:
            return payout
        now = clock.now()
        _decide(payout, PayoutStatus.PAID, user, now)
        payout_posting_record(
            payout=payout,
            kind="payout_paid",
            at=now,
            amounts={PAYABLE: -payout.transfer, PAID: payout.transfer},
        )
        _tell_seller(payout, "paid")
    return payout


def payout_reject(*, payout_id: int, user, reason: str) -> Payout:
    """Staff cannot transfer it (the account does not exist, the name differs…): the whole
    amount, fee included, goes back to the sales balance, and the seller is told why."""
    reason = " ".join(str(reason or "").split())
    if not reason or len(reason) > REASON_MAX:
        raise FurimaError(f"reason: say why, in 1 to {REASON_MAX} characters")
    with transaction.atomic():
        payout = _lock_open(payout_id, user, repeat=PayoutStatus.REJECTED)
        if payout.status == PayoutStatus.REJECTED:
            return payout
        now = clock.now()
        payout.reject_reason = reason
        _decide(payout, PayoutStatus.REJECTED, user, now)
        payout_posting_record(
            payout=payout,
            kind="payout_rejected",
            at=now,
            amounts={
                (SALES, payout.seller_id): payout.amount,
                PAYABLE: -payout.transfer,
                FEES: -payout.fee,
            },
        )
        _tell_seller(payout, "rejected")
    return payout


def _lock_open(payout_id, user, *, repeat: str) -> Payout:
    """The request, locked; staff only (everyone else: not found). A request already
    decided the other way is a `Conflict`; one already decided the same way is returned
    as it is (the caller does nothing)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise NotFound(f"there is no payout {payout_id}")
    payout = (
        Payout.objects.select_for_update(of=("self",))
        .select_related("seller")
        .filter(pk=payout_id)
        .first()
    )
    if payout is None:
        raise NotFound(f"there is no payout {payout_id}")
    if payout.status not in (PayoutStatus.REQUESTED, repeat):
        raise Conflict(f"payout {payout_id} is already {payout.status}")
    return payout


def _decide(payout: Payout, status: str, user, now) -> None:
    payout.status = status
    payout.decided_at = now
    payout.decided_by = user
    payout.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])


def _tell_seller(payout: Payout, what: str) -> None:
    """Mail and in-app notice, through the outbox, in the seller's language."""
    seller = payout.seller
    path = "/mypage/#sales"
    notice_send(
        key=f"payout-{what}:{payout.pk}",
        recipient=seller,
        language=recipient_language(seller),
        templates=(f"payouts/mail/{what}_subject.txt", f"payouts/mail/{what}_body.txt"),
        context=lambda: {"payout": payout, "link": site_url(path)},
        link=path,
    )

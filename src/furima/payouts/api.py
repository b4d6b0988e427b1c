"""/api/v1/me/payouts and /api/v1/me/bank-account: 振込申請 for API clients, through the
same services as マイページ."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.timezone import localtime
from ninja import Field, Header, Router, Schema, Status

from furima.errors import NotFound
from furima.pagination import DEFAULT_LIMIT, paginate
from furima.payouts.bank import HOLDER_MAX, NAME_MAX
from furima.payouts.models import AccountType, Payout
from furima.payouts.selectors import bank_account_of, payout_available, payouts_of
from furima.payouts.services import bank_account_save, payout_request
from furima.schemas import ERRORS

router = Router(tags=["payouts"])


class PayoutIn(Schema):
    amount: int | None = Field(
        None,
        ge=1,
        description="Yen taken from the sales balance, the transfer fee included; "
        "omitted or null: everything that may be requested.",
    )


class PayoutOut(Schema):
    id: int
    status: Literal["requested", "paid", "rejected"]
    amount: int
    fee: int
    transfer: int = Field(..., description="What reaches the bank account: amount - fee.")
    requested_at: datetime
    decided_at: datetime | None
    reject_reason: str
    bank_account: str = Field(..., description="Where it is paid to, the number masked.")


class BalanceOut(Schema):
    balance: int
    debt: int
    available: int
    fee: int
    minimum: int


class BankAccountIn(Schema):
    bank_name: str = Field(..., min_length=1, max_length=NAME_MAX)
    branch_name: str = Field(..., min_length=1, max_length=NAME_MAX)
    account_type: AccountType
    number: str = Field(..., min_length=1, max_length=20)
    holder_kana: str = Field(..., min_length=1, max_length=HOLDER_MAX * 2)


class BankAccountOut(Schema):
    bank_name: str
    branch_name: str
    account_type: str
    number: str = Field(..., description="Masked: only the last 3 digits.")
    holder_kana: str


def payout_resource(payout: Payout) -> dict:
    return {
        "id": payout.pk,
        "status": payout.status,
        "amount": payout.amount,
        "fee": payout.fee,
        "transfer": payout.transfer,
        "requested_at": localtime(payout.requested_at),
        "decided_at": localtime(payout.decided_at) if payout.decided_at else None,
        "reject_reason": payout.reject_reason,
        "bank_account": f"{payout.bank_name} {payout.branch_name} {payout.masked_number}",
    }


def _bank_resource(account) -> dict:
    return {
        "bank_name": account.bank_name,
        "branch_name": account.branch_name,
        "account_type": account.account_type,
        "number": account.masked_number,
        "holder_kana": account.holder_kana,
    }


@router.post("/me/payouts", response={201: PayoutOut, **ERRORS})
def payouts_create(
    request,
    payload: PayoutIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
):
    """Request a payout to your bank account (register it with `PUT /me/bank-account`).
    409 `insufficient_balance` when `amount` is more than may be requested; 400 below the
    minimum. Repeating the request with the same `Idempotency-Key` requests once."""
    payout = payout_request(
        user=request.user, amount=payload.amount, idempotency_key=idempotency_key
    )
    return Status(201, payout_resource(payout))


@router.get("/me/payouts", response={200: list[PayoutOut], **ERRORS})
def payouts_list(request, response: HttpResponse, limit: int = DEFAULT_LIMIT, cursor: str = ""):
    """Your payout requests, newest first."""
    page = paginate(
        request,
        response,
        payouts_of(user=request.user),
        ordering=("-requested_at", "-id"),
        limit=limit,
        cursor=cursor,
    )
    return [payout_resource(p) for p in page]


@router.get("/me/balance", response={200: BalanceOut, **ERRORS})
def balance(request):
    """Your sales balance, what you owe the platform (refunds after payouts), what you may
    request now, and the transfer fee and minimum request."""
    outlook = payout_available(user=request.user)
    return {
        "balance": outlook.balance,
        "debt": outlook.debt,
        "available": outlook.available,
        "fee": outlook.fee,
        "minimum": outlook.minimum,
    }


@router.get("/me/bank-account", response={200: BankAccountOut, **ERRORS})
def bank_account_get(request):
    account = bank_account_of(user=request.user)
    if account is None:
        raise NotFound("no bank account registered")
    return _bank_resource(account)


@router.put("/me/bank-account", response={200: BankAccountOut, **ERRORS})
def bank_account_put(request, payload: BankAccountIn):
    """Register or replace your bank account; the holder's name in katakana."""
    account = bank_account_save(
        user=request.user,
        bank_name=payload.bank_name,
        branch_name=payload.branch_name,
        account_type=payload.account_type.value,
        number=payload.number,
        holder_kana=payload.holder_kana,
    )
    return _bank_resource(account)

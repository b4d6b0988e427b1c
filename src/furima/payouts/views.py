"""振込申請 on the web: the bank account page and the request form's post (the form itself
and the request history are on マイページ's 売上金 card, `furima.accounts.views.mypage`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.errors import FurimaError, http_status
from furima.formats import yen
from furima.payouts.forms import BankAccountForm, PayoutRequestForm
from furima.payouts.selectors import bank_account_of
from furima.payouts.services import bank_account_save, payout_request
from furima.web.mypage import mypage

BANK_FIELDS = ("bank_name", "branch_name", "account_type", "number", "holder_kana")


@login_required
def bank_account(request):
    current = bank_account_of(user=request.user)
    initial = {name: getattr(current, name) for name in BANK_FIELDS} if current else None
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bank_account_save(user=request.user, **form.cleaned_data)
        except FurimaError as error:
            field = error.detail.split(":", 1)[0]
            form.add_error(field if field in BANK_FIELDS else None, _bank_error(field))
        else:
            messages.success(request, _("Your bank account was saved."))
            return redirect("/mypage/#sales")
    return render(
        request,
        "payouts/bank_account.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )


def _bank_error(field: str) -> str:
    return {
        "number": _("Give the account number: up to 7 digits."),
        "holder_kana": _("Give the holder's name in katakana, as printed in the bank book."),
        "account_type": _("Choose the account type."),
    }.get(field, _("Please check this field."))


@require_POST
@login_required
def payout_request_view(request):
    form = PayoutRequestForm(request.POST)
    if not form.is_valid():
        return mypage(request, payout_form=form, status=400)
    try:
        payout = payout_request(
            user=request.user,
            amount=form.cleaned_data["amount"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except FurimaError as error:
        form.add_error(None, _request_error(error))
        return mypage(request, payout_form=form, status=http_status(error.code))
    messages.success(
        request,
        _("Payout requested: %(transfer)s will be transferred to your bank account.")
        % {"transfer": yen(payout.transfer)},
    )
    return redirect("/mypage/#sales")


def _request_error(error: FurimaError) -> str:
    if error.code == "insufficient_balance":
        return _("That is more than you may request now.")
    if error.code == "conflict":
        return _("This form was already sent with another amount. Reload the page.")
    if "bank account" in error.detail:
        return _("Register the bank account to transfer to first.")
    if "at least" in error.detail:
        return _("The amount is below the minimum.")
    return _("Please check the form.")

"""The bank account and payout request forms. The checks that matter are the service's
(`furima.payouts.bank`, `furima.payouts.services`); the forms only parse."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from furima.payouts.bank import HOLDER_MAX, NAME_MAX
from furima.payouts.models import AccountType


class BankAccountForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=NAME_MAX)
    branch_name = forms.CharField(label=_("Branch"), max_length=NAME_MAX)
    account_type = forms.ChoiceField(
        label=_("Account type"), choices=AccountType.choices, initial=AccountType.ORDINARY
    )
    number = forms.CharField(
        label=_("Account number (7 digits)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    holder_kana = forms.CharField(
        label=_("Account holder, in katakana as in the bank book (e.g. ヤマダ ハナコ)"),
        max_length=HOLDER_MAX * 2,
    )


class PayoutRequestForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount in yen, fee included (empty: everything you may request)"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # One key per rendered form: submitting the same form twice makes one request.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    @classmethod
    def fresh(cls) -> PayoutRequestForm:
        return cls(initial={"idempotency_key": f"web-{uuid.uuid4()}"})

"""Checking and normalising a Japanese bank account (振込先口座) as people type it.

People type account numbers and names with full-width or half-width characters, and the
holder's name in half-width katakana the way bank books print it. NFKC folds all of these
to one form (full-width katakana, ASCII digits) before the checks, so "ﾔﾏﾀﾞ ﾊﾅｺ" and
"ヤマダ　ハナコ" are the same holder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from furima.errors import FurimaError
from furima.payouts.models import AccountType

NAME_MAX = 40
HOLDER_MAX = 60
_DIGITS = re.compile(r"[0-9]{1,7}")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+(?: [\u30a1-\u30fa\u30fc]+)*")
"""Full-width katakana words (with the long vowel mark ー), one space between words."""


@dataclass(frozen=True, slots=True)
class BankDetails:
    bank_name: str
    branch_name: str
    account_type: str
    number: str
    holder_kana: str


def bank_details_clean(
    *, bank_name: str, branch_name: str, account_type: str, number: str, holder_kana: str
) -> BankDetails:
    """The details in their stored form. Raises `FurimaError` (`invalid_input`) naming
    the first field that is wrong."""
    return BankDetails(
        bank_name=_name(bank_name, "bank_name"),
        branch_name=_name(branch_name, "branch_name"),
        account_type=_account_type(account_type),
        number=_number(number),
        holder_kana=_holder(holder_kana),
    )


def _fold(value) -> str:
    if not isinstance(value, str):
        raise FurimaError("expected text")
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _name(value, field: str) -> str:
    text = _fold(value)
    if not text or len(text) > NAME_MAX:
        raise FurimaError(f"{field}: give 1 to {NAME_MAX} characters")
    return text


def _account_type(value) -> str:
    if value not in AccountType.values:
        raise FurimaError(f"account_type: one of {', '.join(AccountType.values)}")
    return value


def _number(value) -> str:
    digits = _fold(value).replace("-", "").replace(" ", "")
    if not _DIGITS.fullmatch(digits):
        raise FurimaError("number: the account number is 1 to 7 digits")
    return digits.zfill(7)  # bank books print 7 digits; shorter numbers are zero-padded


def _holder(value) -> str:
    text = _fold(value)
    if not _KATAKANA.fullmatch(text) or len(text) > HOLDER_MAX:
        raise FurimaError("holder_kana: the account holder's name in katakana, as in the bank book")
    return text

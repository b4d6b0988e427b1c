"""What a shipping address must look like, checked once for the web form and the API alike.

Japanese users type postal codes and phone numbers with full-width digits (１２３－４５６７)
and every kind of dash; the carrier's label wants them plain. So each value is normalised
first (Unicode NFKC: full-width to ASCII), then checked, and stored normalised: postal codes
as seven digits (`1234567`, shown as 〒123-4567), phone numbers in Japan's national format
(`090-1234-5678`, checked by the phonenumbers library, Google's libphonenumber data).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from furima.errors import FurimaError
from furima.shipping.prefectures import prefecture_find

MAX_NAME_LENGTH = 50
MAX_CITY_LENGTH = 50
MAX_LINE_LENGTH = 100
MAX_PHONE_LENGTH = 30  # as typed, before normalising

_DASHES = "-‐‑‒–—―−ー"
_POSTAL_CODE = re.compile(r"〒?\s*([0-9]{3})[" + _DASHES + r"]?([0-9]{4})", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AddressInvalid(FurimaError):
    """`invalid_input` naming the field, so a form can put the message beside it."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field


@dataclass(frozen=True)
class AddressFields:
    """A checked, normalised address: what the address book and a trade's snapshot store."""

    name: str
    postal_code: str  # seven ASCII digits
    prefecture: str  # JIS code
    city: str
    address_line1: str
    address_line2: str
    phone: str  # national format, 090-1234-5678

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def postal_code_clean(raw: str) -> str:
    """`1234567` from 「123-4567」, 「１２３－４５６７」, 「〒1234567」; else `AddressInvalid`."""
    if not isinstance(raw, str):
        raise AddressInvalid("postal_code", "must be text")
    found = _POSTAL_CODE.fullmatch(unicodedata.normalize("NFKC", raw).strip())
    if found is None:
        raise AddressInvalid("postal_code", "must be 7 digits, such as 123-4567")
    return found.group(1) + found.group(2)


def phone_clean(raw: str) -> str:
    """A Japanese phone number in national format (`090-1234-5678`); else `AddressInvalid`."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_PHONE_LENGTH:
        raise AddressInvalid("phone", "must be a phone number, such as 090-1234-5678")
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", raw), "JP")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "JP"
    ):
        raise AddressInvalid("phone", "must be a Japanese phone number, such as 090-1234-5678")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _text(field: str, raw, *, limit: int, required: bool = True) -> str:
    if not isinstance(raw, str):
        raise AddressInvalid(field, "must be text")
    value = unicodedata.normalize("NFKC", raw).strip()
    if _CONTROL.search(value):
        raise AddressInvalid(field, "must be one line of text")
    if required and not value:
        raise AddressInvalid(field, "is required")
    if len(value) > limit:
        raise AddressInvalid(field, f"must be at most {limit} characters")
    return value


def address_fields_clean(
    *,
    name: str,
    postal_code: str,
    prefecture: str,
    city: str,
    address_line1: str,
    address_line2: str = "",
    phone: str,
) -> AddressFields:
    """Every field checked and normalised; `AddressInvalid` for the first bad one."""
    name = _text("name", name, limit=MAX_NAME_LENGTH)
    postal_code = postal_code_clean(postal_code)
    found = prefecture_find(prefecture) if isinstance(prefecture, str) else None
    if found is None:
        raise AddressInvalid("prefecture", "must be one of the 47 (a code such as 13, or 東京都)")
    return AddressFields(
        name=name,
        postal_code=postal_code,
        prefecture=found.code,
        city=_text("city", city, limit=MAX_CITY_LENGTH),
        address_line1=_text("address_line1", address_line1, limit=MAX_LINE_LENGTH),
        address_line2=_text("address_line2", address_line2, limit=MAX_LINE_LENGTH, required=False),
        phone=phone_clean(phone),
    )

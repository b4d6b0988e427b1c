"""Tracking numbers (追跡番号): one normal form, and the check against the shipping method.

A seller types 「１２３４－５６７８－９０１２」 from a paper slip; a carrier's webhook sends
`123456789012`. Both are the same parcel, so every tracking number is stored and looked up in
one normal form (`tracking_number_normalise`): the shipping notice stores it that way and the
carrier webhook searches with it, so neither side's spelling can make a parcel unfindable.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from furima.errors import FurimaError
from furima.market.catalog import ShippingMethod

ANY_TRACKING_PATTERN = "[0-9A-Z]{4,30}"
"""The form accepted when the method names no carrier (not decided yet)."""

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー]+")


class TrackingNumberRefused(FurimaError):
    """`invalid_input`, with a sentence for the trade screen (`message`)."""

    def __init__(self, detail: str, *, message) -> None:
        super().__init__(detail)
        self.message = message


def tracking_number_normalise(raw: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), letters upper-case, spaces and every
    kind of hyphen or dash dropped: 「１２３４－５６７８－９０１２」 → `123456789012`."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()


def tracking_number_check(method: ShippingMethod, raw: str) -> str:
    """The shipping notice's tracking number for `method`, normalised; `FurimaError`
    (`invalid_input`) when the method requires one and it is missing, takes none and one was
    given, or it is not in the carrier's form."""
    number = tracking_number_normalise(raw)
    if not number:
        if method.tracking_number == "required":
            raise TrackingNumberRefused(
                f"{method.en} needs the parcel's tracking number",
                message=_("This shipping method needs the tracking number of the parcel."),
            )
        return ""
    if method.tracking_number == "none":
        raise TrackingNumberRefused(
            f"{method.en} has no tracking number; send the notice without one",
            message=_("This shipping method has no tracking number; leave it empty."),
        )
    carrier = method.carrier
    pattern = carrier.tracking_pattern if carrier else ANY_TRACKING_PATTERN
    if not re.fullmatch(pattern, number, flags=re.ASCII):
        example = f" (for example {carrier.tracking_example})" if carrier else ""
        raise TrackingNumberRefused(
            f"{number!r} is not a {carrier.en if carrier else 'valid'} tracking number{example}",
            message=_("That is not a tracking number of this carrier; check the slip."),
        )
    return number

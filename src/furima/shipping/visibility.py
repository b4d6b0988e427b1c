"""Who may see a trade's shipping address, and until when: one pure rule (no Django, no
clock of its own), used by the trade screen, the API and the tests alike.

- The buyer always sees it: it is their own address.
- The seller sees it only to ship: from the purchase while the trade awaits shipment, and
  for `SELLER_GRACE_AFTER_SHIPPING` after the shipping notice (a parcel returned to the
  sender, a re-delivery, a question from the carrier), but never once the buyer has rated
  receipt, the trade is completed or cancelled, and never for an anonymous shipping method
  (らくらく/ゆうゆう-style: the carrier prints the label from a code; the seller never needs it).
- Nobody else sees it here, staff included: support staff see it only in the staff desk,
  where every look is logged (`AddressAccess`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SELLER_GRACE_AFTER_SHIPPING = timedelta(days=7)

SHOWN = "shown"
ANONYMOUS = "anonymous"  # the seller, under an anonymous method
ENDED = "ended"  # the seller, after the time it was needed
NOT_A_PARTY = "not_a_party"


@dataclass(frozen=True)
class AddressVisibility:
    status: str  # SHOWN, ANONYMOUS, ENDED or NOT_A_PARTY
    until: datetime | None = None  # for the seller: when it stops being shown (None: not set)

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


def address_visibility(
    *, role: str | None, state: str, anonymous: bool, shipped_at: datetime | None, now: datetime
) -> AddressVisibility:
    """`role` is "buyer", "seller" or None (anyone else); `state` the trade's state."""
    if role == "buyer":
        return AddressVisibility(SHOWN)
    if role != "seller":
        return AddressVisibility(NOT_A_PARTY)
    if anonymous:
        return AddressVisibility(ANONYMOUS)
    if state == "awaiting_shipment":
        return AddressVisibility(SHOWN)
    if state == "shipped" and shipped_at is not None:
        until = shipped_at + SELLER_GRACE_AFTER_SHIPPING
        if now < until:
            return AddressVisibility(SHOWN, until)
    return AddressVisibility(ENDED)

"""Reads for shipping addresses: a user's book, and a trade's address as a viewer may see
it (the rule is `furima.shipping.visibility`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from furima import clock
from furima.errors import NotFound
from furima.shipping.models import Address, AddressAccess, TradeAddress
from furima.shipping.visibility import AddressVisibility, address_visibility


def addresses_of(*, user) -> QuerySet[Address]:
    """Newest first (the order the purchase step offers them in)."""
    return Address.objects.filter(user=user).order_by("-created_at", "-id")


def address_get(*, address_id, user, for_update: bool = False) -> Address:
    """One of the user's addresses; anyone else's is `NotFound`, as if it did not exist.
    `for_update` locks the row (inside a service's transaction)."""
    addresses = Address.objects.select_for_update() if for_update else Address.objects
    try:
        return addresses.get(pk=address_id, user=user)
    except (Address.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"there is no address {address_id} in your address book") from None


@dataclass(frozen=True)
class ShipTo:
    """A trade's shipping address as one viewer may see it: `address` is None unless
    `visibility.shown` (and when the trade was bought without one)."""

    visibility: AddressVisibility
    address: TradeAddress | None


def trade_ship_to(*, trade, viewer) -> ShipTo:
    """For the trade screen and the API. Staff get nothing here (`not_a_party`): they see
    addresses only in the staff desk, where each look is logged."""
    role = trade.role_of(viewer)
    visibility = address_visibility(
        role=role.value if role is not None else None,
        state=trade.state,
        anonymous=trade.shipping.anonymous,
        shipped_at=trade.shipped_at,
        now=clock.now(),
    )
    address = None
    if visibility.shown:  # no query when the trade was read with select_related("ship_to")
        address = getattr(trade, "ship_to", None)
    return ShipTo(visibility=visibility, address=address)


def address_accesses() -> QuerySet[AddressAccess]:
    """The staff address log, newest first."""
    return AddressAccess.objects.select_related("staff", "trade", "trade__listing").order_by(
        "-at", "-id"
    )

"""Writes for shipping addresses: the address book, the trade's copy taken at purchase, and
staff looking at a trade's address (logged). Each call is one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from furima import clock
from furima.errors import Conflict, Forbidden, FurimaError, Unauthenticated
from furima.shipping.models import MAX_ADDRESSES, Address, AddressAccess, TradeAddress
from furima.shipping.selectors import address_get, addresses_of
from furima.shipping.validation import address_fields_clean

MAX_REASON_LENGTH = 200


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")


def address_create(*, user, **fields: str) -> Address:
    """Add an address to `user`'s book. `fields`: name, postal_code, prefecture, city,
    address_line1, address_line2, phone. `AddressInvalid` for a bad one, `Conflict` when the
    book is full."""
    _require_user(user)
    clean = address_fields_clean(**fields)
    with transaction.atomic():
        # Lock the user's row: two requests at once cannot both pass the count.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if Address.objects.filter(user=user).count() >= MAX_ADDRESSES:
            raise Conflict(f"an address book holds at most {MAX_ADDRESSES} addresses")
        now = clock.now()
        return Address.objects.create(user=user, created_at=now, updated_at=now, **clean.as_dict())


def address_update(*, address_id: int, user, **fields: str) -> Address:
    """Replace every field of one of `user`'s addresses. Trades already bought keep the copy
    they took (`TradeAddress`): this changes only future purchases."""
    _require_user(user)
    clean = address_fields_clean(**fields)
    with transaction.atomic():
        address = address_get(address_id=address_id, user=user, for_update=True)
        for name, value in clean.as_dict().items():
            setattr(address, name, value)
        address.updated_at = clock.now()
        address.save()
    return address


def address_delete(*, address_id: int, user) -> None:
    _require_user(user)
    with transaction.atomic():
        address_get(address_id=address_id, user=user, for_update=True).delete()


def trade_address_take(*, trade, buyer, address_id) -> TradeAddress | None:
    """At purchase, inside the purchase's transaction: copy the buyer's chosen address onto
    the trade. `NotFound` if it is not in the buyer's book (someone else's included). No
    choice (`None`): the newest address in the book, or none at all for an empty book."""
    if address_id is None:
        address = addresses_of(user=buyer).first()
        if address is None:
            return None
    else:
        address = address_get(address_id=address_id, user=buyer)
    fields = {name: getattr(address, name) for name in _ADDRESS_FIELDS}
    return TradeAddress.objects.create(trade=trade, **fields)


_ADDRESS_FIELDS = (
    "name",
    "postal_code",
    "prefecture",
    "city",
    "address_line1",
    "address_line2",
    "phone",
)


def trade_address_reveal(*, trade, staff, reason: str = "") -> TradeAddress | None:
    """Support staff look at the trade's shipping address: the look is logged first (who,
    when, which trade, why), in the same transaction. Staff only (`Forbidden` otherwise);
    None — and nothing logged — when the trade has no address."""
    _require_user(staff)
    if not staff.is_staff:
        raise Forbidden("only support staff may look at a trade's address")
    if not isinstance(reason, str) or len(reason.strip()) > MAX_REASON_LENGTH:
        raise FurimaError(f"the reason must be at most {MAX_REASON_LENGTH} characters")
    with transaction.atomic():
        ship_to = TradeAddress.objects.filter(trade=trade).first()
        if ship_to is None:
            return None
        AddressAccess.objects.create(
            trade=trade, staff=staff, at=clock.now(), reason=reason.strip()
        )
    return ship_to

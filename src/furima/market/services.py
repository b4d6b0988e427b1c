"""Writes to the market: listing an item, editing it, taking it off sale. (Buying it creates
a trade, so the purchase is the trades app's: `trades/purchase.py`.)"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from furima import clock
from furima.errors import (
    Conflict,
    ForbiddenActor,
    FurimaError,
    NotFound,
    Unauthenticated,
)
from furima.market.catalog import UNDECIDED_SHIPPING, Condition, catalog
from furima.market.models import (
    MAX_BRAND_LENGTH,
    MAX_PRICE,
    MIN_PRICE,
    Listing,
    ListingStatus,
    ShippingPayer,
    ShipWithin,
)

MAX_TITLE_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 3000


def listing_create(
    *,
    seller,
    title: str,
    price: int,
    description: str = "",
    shipping_payer: str = ShippingPayer.SELLER,
    ship_within: str = ShipWithin.DAYS_2_3,
    **details: str,
) -> Listing:
    """Put an item on sale. `details`: `condition`, `category`, `brand`, `shipping_method`
    (see `furima.market.catalog`). Raises `FurimaError` (`invalid_input`) for bad values."""
    _require_user(seller)
    _check_listing_fields(title, description, price, shipping_payer, ship_within)
    details = _checked_details(details, shipping_payer)
    title = title.strip()
    now = clock.now()
    return Listing.objects.create(
        seller=seller,
        title=title,
        description=description,
        price=price,
        shipping_payer=shipping_payer,
        ship_within=ship_within,
        **details,
        created_at=now,
        updated_at=now,
    )


def _checked_details(details: dict, shipping_payer: str) -> dict:
    """The item's details with defaults filled in; `FurimaError` for the first bad one."""
    unknown = set(details) - {"condition", "category", "brand", "shipping_method"}
    if unknown:
        raise TypeError(f"unexpected listing fields: {', '.join(sorted(unknown))}")
    condition = details.get("condition") or Condition.NO_VISIBLE_WEAR
    category = details.get("category") or ""
    brand = details.get("brand") or ""
    method = details.get("shipping_method") or UNDECIDED_SHIPPING
    known = catalog()
    if condition not in Condition.values:
        raise FurimaError(f"the condition is one of {', '.join(Condition.values)}")
    if not isinstance(category, str) or (category and category not in known.categories):
        raise FurimaError("the category must be one of the catalogue's (GET /api/v1/catalog)")
    if not isinstance(brand, str) or len(brand.strip()) > MAX_BRAND_LENGTH:
        raise FurimaError(f"the brand must be at most {MAX_BRAND_LENGTH} characters")
    if method not in known.shipping_methods:
        raise FurimaError(f"the shipping method is one of {', '.join(known.shipping_methods)}")
    if known.shipping_methods[method].anonymous and shipping_payer != ShippingPayer.SELLER:
        raise FurimaError("anonymous shipping is always paid by the seller")
    return {
        "condition": str(condition),
        "category": category,
        "brand": brand.strip(),
        "shipping_method": method,
    }


def _check_listing_fields(title, description, price, shipping_payer, ship_within) -> None:
    """Raises `FurimaError` (`invalid_input`) for the first bad value."""
    title = title.strip() if isinstance(title, str) else ""
    if not title or len(title) > MAX_TITLE_LENGTH:
        raise FurimaError(f"the title must be 1 to {MAX_TITLE_LENGTH} characters")
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION_LENGTH:
        raise FurimaError(f"the description must be at most {MAX_DESCRIPTION_LENGTH} characters")
    if isinstance(price, bool) or not isinstance(price, int) or not MIN_PRICE <= price <= MAX_PRICE:
        raise FurimaError(
            f"the price must be a whole number of yen from {MIN_PRICE} to {MAX_PRICE}"
        )
    if shipping_payer not in ShippingPayer.values:
        raise FurimaError(f"shipping is paid by one of {', '.join(ShippingPayer.values)}")
    if ship_within not in ShipWithin.values:
        raise FurimaError(f"ships within one of {', '.join(ShipWithin.values)} days")


def listing_withdraw(*, listing_id: int, user) -> Listing:
    """The seller takes an unsold item off sale."""
    _require_user(user)
    with transaction.atomic():
        listing = listing_lock(listing_id)
        if listing.seller_id != user.pk:
            raise ForbiddenActor("only the seller can withdraw a listing")
        if listing.status != ListingStatus.ON_SALE:
            raise Conflict(f"the listing is {listing.status}, not on sale")
        listing.status = ListingStatus.WITHDRAWN
        listing.updated_at = clock.now()
        listing.save(update_fields=["status", "updated_at"])
    return listing


def listing_lock(listing_id: int) -> Listing:
    """The listing row, locked for this transaction (`NotFound` if there is none): edits,
    withdrawals and purchases take it first, so they happen one after another."""
    try:
        return Listing.objects.select_for_update(of=("self",)).get(pk=listing_id)
    except (Listing.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"there is no listing {listing_id}") from None


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")


def listing_update(
    *,
    listing_id: int,
    user,
    title: str,
    price: int,
    description: str = "",
    shipping_payer: str = ShippingPayer.SELLER,
    ship_within: str = ShipWithin.DAYS_2_3,
    **details: str,
) -> Listing:
    """The seller edits an item still on sale (a sold item's terms belong to its trade)."""
    _require_user(user)
    _check_listing_fields(title, description, price, shipping_payer, ship_within)
    details = _checked_details(details, shipping_payer)
    with transaction.atomic():
        listing = listing_lock(listing_id)
        if listing.seller_id != user.pk:
            raise ForbiddenActor("only the seller can edit a listing")
        if listing.status != ListingStatus.ON_SALE:
            raise Conflict(f"the listing is {listing.status}, not on sale")
        old_price = listing.price
        listing.title = title.strip()
        listing.description = description
        listing.price = price
        listing.shipping_payer = shipping_payer
        listing.ship_within = ship_within
        for name, value in details.items():
            setattr(listing, name, value)
        listing.updated_at = clock.now()
        listing.save()
        if price < old_price:
            for subscriber in _price_drop_subscribers():
                subscriber(listing=listing, old_price=old_price)
    return listing


def _price_drop_subscribers():
    """`FURIMA_LISTING_PRICE_DROP_SUBSCRIBERS`: told, inside the edit's transaction, that a
    listing got cheaper (the outbox tells the people who liked it; the market cannot import
    the outbox, which sits above it)."""
    names = getattr(settings, "FURIMA_LISTING_PRICE_DROP_SUBSCRIBERS", ())
    return [import_string(name) for name in names]

"""Writes to the market: listing an item, and buying it.

A purchase creates the trade. A listing is sold at most once: the purchase locks the listing
row, so a second buyer racing for it waits, then finds it sold and gets `conflict`; and the
trade's one-to-one link to its listing makes a second trade impossible even for code that
forgot the lock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from furima import clock
from furima.errors import FurimaError
from furima.market.models import (
    MAX_PRICE,
    MIN_PRICE,
    Listing,
    ListingStatus,
    ShippingPayer,
    ShipWithin,
)
from furima.process import Action, Actor, Command, Rejected, TradeSnapshot, decide, default_registry
from furima.trades.errors import ActionRejected, Conflict, ForbiddenActor, NotFound, Unauthenticated
from furima.trades.models import IdempotencyKey, Trade, TradeEvent
from furima.trades.persist import Step, record_decisions

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
) -> Listing:
    """Put an item on sale. Raises `FurimaError` (`invalid_input`) for bad values."""
    _require_user(seller)
    _check_listing_fields(title, description, price, shipping_payer, ship_within)
    title = title.strip()
    now = clock.now()
    return Listing.objects.create(
        seller=seller,
        title=title,
        description=description,
        price=price,
        shipping_payer=shipping_payer,
        ship_within=ship_within,
        created_at=now,
        updated_at=now,
    )


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
        listing = _lock(listing_id)
        if listing.seller_id != user.pk:
            raise ForbiddenActor("only the seller can withdraw a listing")
        if listing.status != ListingStatus.ON_SALE:
            raise Conflict(f"the listing is {listing.status}, not on sale")
        listing.status = ListingStatus.WITHDRAWN
        listing.updated_at = clock.now()
        listing.save(update_fields=["status", "updated_at"])
    return listing


def listing_purchase(
    *, listing_id: int, buyer, idempotency_key: str | None = None, policy_id: str | None = None
) -> Trade:
    """`buyer` buys the listing: the trade is created, the price moves into escrow, the
    seller is told. Pinned to the newest version of `policy_id` (default: the site's default
    policy, `FURIMA_DEFAULT_POLICY`).

    Raises `Unauthenticated`, `NotFound`, `ForbiddenActor` (one's own listing), `Conflict`
    (already sold or withdrawn — the other buyer of a race gets this). With an
    `idempotency_key`, a repeated request returns the trade the first one created.
    """
    _require_user(buyer)
    try:
        with transaction.atomic():
            listing = _lock(listing_id)
            if idempotency_key is not None:
                earlier = _earlier_trade(buyer, idempotency_key, listing)
                if earlier is not None:
                    return earlier
            if listing.seller_id == buyer.pk:
                raise ForbiddenActor("you cannot buy your own listing")
            if listing.status != ListingStatus.ON_SALE:
                detail = "sold" if listing.status == ListingStatus.SOLD else listing.status
                raise Conflict(f"the listing is already {detail}")
            trade, event = _create_trade(listing, buyer, policy_id)
            listing.status = ListingStatus.SOLD
            listing.updated_at = trade.purchased_at
            listing.save(update_fields=["status", "updated_at"])
            if idempotency_key is not None:
                IdempotencyKey.objects.create(
                    user=buyer,
                    key=idempotency_key,
                    fingerprint=_fingerprint(listing.pk),
                    trade=trade,
                    event=event,
                    created_at=trade.purchased_at,
                )
    except IntegrityError:
        # Only reachable when something bypassed the listing lock (or the same idempotency
        # key raced on two listings): the database's constraints kept the second trade out.
        raise Conflict("the listing was sold to someone else at the same moment") from None
    return trade


def _create_trade(listing: Listing, buyer, policy_id: str | None) -> tuple[Trade, TradeEvent]:
    try:
        policy = default_registry().get(policy_id or settings.FURIMA_DEFAULT_POLICY)
    except LookupError as error:
        raise FurimaError(str(error)) from None
    before = TradeSnapshot.new(
        policy_id=policy.id,
        policy_version=policy.version,
        price=listing.price,
        ship_within=listing.ship_within,
    )
    decision = decide(
        before, Command(actor=Actor.BUYER, action=Action.PURCHASE), clock.now(), policy
    )
    if isinstance(decision, Rejected):  # a fresh snapshot is always purchasable
        raise ActionRejected.from_decision(decision)
    trade = Trade(
        listing=listing,
        buyer=buyer,
        seller_id=listing.seller_id,
        price=listing.price,
        ship_within=listing.ship_within,
        policy_id=policy.id,
        policy_version=policy.version,
    )
    [event] = record_decisions([Step(trade, before, decision, policy, buyer)])
    return trade, event


def _lock(listing_id: int) -> Listing:
    try:
        return Listing.objects.select_for_update(of=("self",)).get(pk=listing_id)
    except (Listing.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"there is no listing {listing_id}") from None


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")


def _fingerprint(listing_id: int) -> str:
    return f"purchase:{listing_id}"


def _earlier_trade(buyer, key: str, listing: Listing) -> Trade | None:
    earlier = IdempotencyKey.objects.select_related("trade").filter(user=buyer, key=key).first()
    if earlier is None:
        return None
    if earlier.fingerprint != _fingerprint(listing.pk):
        raise Conflict("this idempotency key was already used for a different request")
    return earlier.trade


def listing_update(
    *,
    listing_id: int,
    user,
    title: str,
    price: int,
    description: str = "",
    shipping_payer: str = ShippingPayer.SELLER,
    ship_within: str = ShipWithin.DAYS_2_3,
) -> Listing:
    """The seller edits an item still on sale (a sold item's terms belong to its trade)."""
    _require_user(user)
    _check_listing_fields(title, description, price, shipping_payer, ship_within)
    with transaction.atomic():
        listing = _lock(listing_id)
        if listing.seller_id != user.pk:
            raise ForbiddenActor("only the seller can edit a listing")
        if listing.status != ListingStatus.ON_SALE:
            raise Conflict(f"the listing is {listing.status}, not on sale")
        listing.title = title.strip()
        listing.description = description
        listing.price = price
        listing.shipping_payer = shipping_payer
        listing.ship_within = ship_within
        listing.updated_at = clock.now()
        listing.save()
    return listing

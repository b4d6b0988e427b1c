"""Buying an item: the purchase creates the trade.

A listing is sold at most once: the purchase locks the listing row, so a second buyer racing
for it waits, then finds it sold and gets `conflict`; and the trade's one-to-one link to its
listing makes a second trade impossible even for code that forgot the lock. It lives with the
trades (not the market) because it writes a trade, its first event and its ledger postings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from furima import clock
from furima.errors import FurimaError
from furima.idempotency import idempotency_key_clean, request_fingerprint
from furima.market.models import Listing, ListingStatus
from furima.market.services import listing_lock
from furima.process import Action, Actor, Command, Rejected, TradeSnapshot, decide, default_registry
from furima.shipping.services import trade_address_take
from furima.trades.errors import (
    ActionRejected,
    Conflict,
    Forbidden,
    ForbiddenActor,
    PriceChanged,
    Unauthenticated,
)
from furima.trades.idempotency import idempotent_earlier, idempotent_record
from furima.trades.models import Trade, TradeEvent
from furima.trades.persist import Step, record_decisions


def listing_purchase(
    *,
    listing_id: int,
    buyer,
    expected_price: int | None = None,
    shipping_payer: str | None = None,
    ship_within: str | None = None,
    shipping_method: str | None = None,
    address_id: int | None = None,
    idempotency_key: str | None = None,
    policy_id: str | None = None,
    require_address: bool = False,
) -> Trade:
    """`buyer` buys the listing: the trade is created, the price moves into escrow, the
    seller is told.

    `expected_price` (and `shipping_payer`, `ship_within`, `shipping_method`, where given)
    are what the buyer was shown: if the listing says otherwise now, `PriceChanged` — the
    seller may edit a listing while someone looks at its confirmation step, but the buyer
    never pays what they did not see. The web and the API always pass them; `None` is for
    the platform's own callers (seeding, tests).

    `address_id` is one of the buyer's addresses: the trade keeps a copy of it (where the
    parcel goes, whatever the address book says later). `NotFound` if it is not the buyer's.
    Without one, the newest address in the buyer's book is taken (none if the book is empty:
    the contract's API purchase needs only the price); the web form sets `require_address`
    (no address: `invalid_input`), since it always offers the choice.

    The trade is pinned to the newest version of the site's policy (`FURIMA_DEFAULT_POLICY`).
    The policy is the platform's: `policy_id` is honoured only in demo mode or for staff,
    else `Forbidden`.

    Raises `Unauthenticated`, `NotFound`, `ForbiddenActor` (one's own listing), `Conflict`
    (already sold or withdrawn — the other buyer of a race gets this; or an idempotency key
    reused for a different request), `PriceChanged`, `Forbidden`; each writes nothing. With
    an `idempotency_key`, repeating the same request returns the trade the first one created.
    """
    _require_user(buyer)
    idempotency_key = idempotency_key_clean(idempotency_key)
    if policy_id is not None and not (settings.FURIMA_DEMO or buyer.is_staff):
        raise Forbidden("the trade's policy is the platform's; only staff may choose one")
    if require_address and address_id is None:
        raise FurimaError("choose a shipping address (address_id, from GET /api/v1/addresses)")
    fingerprint = request_fingerprint(
        "purchase",
        listing=listing_id,
        expected_price=expected_price,
        shipping_payer=shipping_payer,
        ship_within=ship_within,
        shipping_method=shipping_method,
        address=address_id,
        policy=policy_id,
    )
    try:
        with transaction.atomic():
            listing = listing_lock(listing_id)
            if idempotency_key is not None:
                earlier = idempotent_earlier(
                    user=buyer, key=idempotency_key, fingerprint=fingerprint
                )
                if earlier is not None:
                    return earlier.trade
            if listing.seller_id == buyer.pk:
                raise ForbiddenActor("you cannot buy your own listing")
            if listing.status != ListingStatus.ON_SALE:
                detail = "sold" if listing.status == ListingStatus.SOLD else listing.status
                raise Conflict(f"the listing is already {detail}")
            _check_terms_unchanged(
                listing, expected_price, shipping_payer, ship_within, shipping_method
            )
            trade, event = _create_trade(listing, buyer, policy_id)
            trade_address_take(trade=trade, buyer=buyer, address_id=address_id)
            listing.status = ListingStatus.SOLD
            listing.updated_at = trade.purchased_at
            listing.save(update_fields=["status", "updated_at"])
            if idempotency_key is not None:
                idempotent_record(
                    user=buyer,
                    key=idempotency_key,
                    fingerprint=fingerprint,
                    trade=trade,
                    event=event,
                )
    except IntegrityError:
        # Only reachable when something bypassed the listing lock (or the same idempotency
        # key raced on two listings): the database's constraints kept the second trade out.
        raise Conflict("the listing was sold to someone else at the same moment") from None
    return trade


def _check_terms_unchanged(
    listing: Listing, price, shipping_payer, ship_within, shipping_method
) -> None:
    """Raises `PriceChanged` naming every term that differs from what the buyer was shown."""
    changed: dict[str, str] = {}
    if price is not None and price != listing.price:
        changed["price"] = f"the price is now {listing.price} yen (you were shown {price} yen)"
    if shipping_payer is not None and shipping_payer != listing.shipping_payer:
        changed["shipping_payer"] = f"shipping is now paid by the {listing.shipping_payer}"
    if shipping_method is not None and shipping_method != listing.shipping_method:
        changed["shipping_method"] = (
            f"it is now shipped by {listing.shipping.en} ({listing.shipping_method})"
        )
    if ship_within is not None and ship_within != listing.ship_within:
        changed["ship_within"] = f"it now ships within {listing.ship_within} days"
    if changed:
        raise PriceChanged(
            "the seller changed the listing: " + "; ".join(changed.values()),
            changed=tuple(changed),
        )


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
        shipping_method=listing.shipping_method,
        shipping_payer=listing.shipping_payer,
        policy_id=policy.id,
        policy_version=policy.version,
    )
    [event] = record_decisions([Step(trade, before, decision, policy, buyer)])
    return trade, event


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")

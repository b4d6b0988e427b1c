"""The carriers' side of a trade: a signed delivery confirmation becomes the engine's
`deliver` (actor `carrier`), through the same service every action goes through, so the
furima policy's delivery-keyed clock (`delivered_at + 2d@13:00`) runs in production.

Carriers resend webhooks, and send them late or early:
- a repeat (the trade already has its delivery) answers as a success and writes nothing;
- a scan time after now is taken as now (clock skew), one before the shipping notice as
  the shipping notice's time (a parcel cannot arrive before it was sent, and the engine's
  clock must not run from before the trade was shipped);
- the number is looked up in the one normal form the shipping notice stored it in
  (`furima.market.tracking`): `1234-5678-9012` from a carrier finds 「１２３４５６７８９０１２」;
- a tracking number no trade carries yet (the seller has not sent the shipping notice with
  it) is `not_found`: nothing is written, and the carrier's retry after the notice succeeds.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction

from furima import clock
from furima.market.tracking import tracking_number_normalise
from furima.process import Action, Actor, State
from furima.trades.errors import NotFound
from furima.trades.models import Trade
from furima.trades.services import trade_act_as_platform


@dataclass(frozen=True, slots=True)
class CarrierDelivery:
    trade: Trade
    recorded: bool  # False: a repeat, or the trade no longer waits for a delivery
    delivered_at: datetime | None


def carrier_signature_valid(*, body: bytes, signature: str | None) -> bool:
    """`signature` is `sha256=<hex HMAC-SHA256 of body with FURIMA_CARRIER_SECRET>`. Without a
    configured secret nothing is valid."""
    secret = settings.FURIMA_CARRIER_SECRET
    if not secret or not signature or not signature.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256=").strip().lower())


def carrier_delivery_record(*, tracking_number: str, at: datetime | None = None) -> CarrierDelivery:
    """Record that the parcel `tracking_number` was delivered at `at` (default now)."""
    tracking_number = tracking_number_normalise(tracking_number)
    if not tracking_number:
        raise NotFound("no shipped trade has an empty tracking number")
    with transaction.atomic():
        trade = (
            Trade.objects.select_for_update(of=("self",))
            .filter(tracking_number=tracking_number)
            .exclude(tracking_number="")  # the partial index's condition, so it is used
            .order_by("-shipped_at", "-id")
            .first()
        )
        if trade is None:
            raise NotFound(f"no shipped trade has the tracking number {tracking_number!r}")
        if trade.delivered_at is not None or trade.state != State.SHIPPED.value:
            return CarrierDelivery(trade=trade, recorded=False, delivered_at=trade.delivered_at)
        now = clock.now()
        at = min(at or now, now)
        if trade.shipped_at is not None:
            at = max(at, trade.shipped_at)
        result = trade_act_as_platform(
            trade_id=trade.pk, actor=Actor.CARRIER, action=Action.DELIVER, at=at
        )
    trade = result.trade
    return CarrierDelivery(trade=trade, recorded=True, delivered_at=trade.delivered_at)

"""/api/v1/trades: a trade with its deadlines and the caller's possible actions; act on it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.timezone import localtime
from ninja import Field, Header, Router, Schema
from pydantic import AwareDatetime
from pydantic import ValidationError as PydanticError

from furima.errors import FurimaError
from furima.pagination import DEFAULT_LIMIT, paginate
from furima.process import Actor, State
from furima.schemas import ERRORS, PartyOut, PolicyRef
from furima.shipping.api import ShippingAddressOut, shipping_address_resource
from furima.shipping.selectors import trade_ship_to
from furima.trades.action_bodies import ActionIn
from furima.trades.carrier import carrier_delivery_record, carrier_signature_valid
from furima.trades.errors import Unauthenticated
from furima.trades.models import Role
from furima.trades.selectors import (
    trade_events_for,
    trade_get,
    trade_outlook,
    trades_for_user,
)
from furima.trades.services import trade_act

router = Router(tags=["trades"])


class ListingRef(Schema):
    id: int
    title: str


class OperatorRequestOut(Schema):
    status: str
    opened_at: datetime
    closed_at: datetime | None


class RatingOut(Schema):
    rating: str
    comment: str
    by: str
    at: datetime


class TimerOut(Schema):
    name: str
    at: datetime
    actor: str
    action: str


class CarrierOut(Schema):
    id: str
    name: str


class TradeOut(Schema):
    id: int
    state: str
    policy: PolicyRef
    listing: ListingRef
    buyer: PartyOut
    seller: PartyOut
    price: int
    ship_within: str
    shipping_method: str = Field(description="the catalogue's id, as bought")
    shipping_method_name: str
    shipping_payer: str
    shipping_anonymous: bool
    carrier: CarrierOut | None = Field(description="who carries the parcel (from the method)")
    tracking_number: str = Field(description="from the shipping notice, normalised")
    shipping_address: ShippingAddressOut | None = Field(
        description="the buyer's address as bought: for the buyer; for the seller only while "
        "it is needed to ship (until shipped + 7 days, never with anonymous shipping); else null"
    )
    shipping_address_visible_until: datetime | None = Field(
        None, description="for the seller: when the address stops being shown"
    )
    purchased_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    deadlines: dict[str, datetime | None]
    next_timer: TimerOut | None
    actions: list[str]
    actions_later: dict[str, datetime]
    operator_request: OperatorRequestOut | None
    ratings: dict[str, RatingOut | None]
    refunded_after_payout: int = Field(
        0, description="yen refunded to the buyer after the payout (claims, furima@2)"
    )


class EventOut(Schema):
    seq: int
    at: datetime
    due_at: datetime | None = None  # a timer's step: when it was due (`at`: when applied)
    actor: str
    action: str
    data: dict
    notify: list[str]


def _local(moment: datetime | None) -> datetime | None:
    """In Asia/Tokyo (the site's zone, the zone the rules are evaluated in)."""
    return None if moment is None else localtime(moment)


def _party(user) -> dict:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


def trade_resource(trade, user, actor: Actor | None = None) -> dict:
    """The contract's trade resource, as `user` sees it (as `actor`, when known)."""
    outlook = trade_outlook(trade=trade, viewer=user, actor=actor)
    snapshot, found, options, ratings = (
        outlook.snapshot,
        outlook.deadlines,
        outlook.options,
        outlook.ratings,
    )
    timer = found.next_timer
    request = snapshot.operator_request
    method = trade.shipping
    ship_to = trade_ship_to(trade=trade, viewer=user)
    return {
        "id": trade.pk,
        "state": trade.state,
        "policy": {"id": trade.policy_id, "version": trade.policy_version},
        "listing": {"id": trade.listing_id, "title": trade.listing.title},
        "buyer": _party(trade.buyer),
        "seller": _party(trade.seller),
        "price": trade.price,
        "ship_within": trade.ship_within,
        "shipping_method": trade.shipping_method,
        "shipping_method_name": method.name(),
        "shipping_payer": trade.shipping_payer,
        "shipping_anonymous": method.anonymous,
        "carrier": None
        if method.carrier is None
        else {"id": method.carrier.id, "name": method.carrier.name()},
        "tracking_number": trade.tracking_number,
        "shipping_address": None
        if ship_to.address is None
        else shipping_address_resource(ship_to.address),
        "shipping_address_visible_until": _local(ship_to.visibility.until)
        if ship_to.address is not None
        else None,
        "purchased_at": _local(trade.purchased_at),
        "shipped_at": _local(trade.shipped_at),
        "delivered_at": _local(trade.delivered_at),
        "completed_at": _local(trade.completed_at),
        "cancelled_at": _local(trade.cancelled_at),
        "deadlines": {name: _local(at) for name, at in found.as_dict().items()},
        "next_timer": None
        if timer is None
        else {
            "name": timer.name,
            "at": _local(timer.at),
            "actor": timer.actor,
            "action": timer.action,
        },
        "actions": [o.action.value for o in options if o.allowed],
        "actions_later": {o.action.value: _local(o.allowed_from) for o in options if not o.allowed},
        "operator_request": None
        if request is None
        else {
            "status": request.status.value,
            "opened_at": _local(request.opened_at),
            "closed_at": _local(request.closed_at),
        },
        "ratings": {
            side: None
            if side not in ratings
            else {
                "rating": ratings[side].rating,
                "comment": ratings[side].comment,
                "by": ratings[side].given_by,
                "at": _local(ratings[side].at),
            }
            for side in ("buyer", "seller")
        },
        "refunded_after_payout": snapshot.refunded_after_payout,
    }


@router.get("/trades", response={200: list[TradeOut], **ERRORS})
def trades_list(
    request,
    response: HttpResponse,
    role: Role | None = None,
    state: State | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str = "",
):
    """The caller's trades, newest first: as buyer, as seller, or both. Paged: the next
    page's URL is in the `Link` header (rel="next")."""
    trades = trades_for_user(user=request.user, role=role, with_ratings=True)
    if state is not None:
        trades = trades.filter(state=state.value)
    page = paginate(
        request, response, trades, ordering=("-purchased_at", "-id"), limit=limit, cursor=cursor
    )
    return [trade_resource(t, request.user) for t in page]


@router.get("/trades/{trade_id}", response={200: TradeOut, **ERRORS})
def trade_detail(request, trade_id: int):
    return trade_resource(trade_get(trade_id=trade_id, user=request.user), request.user)


@router.get("/trades/{trade_id}/events", response={200: list[EventOut], **ERRORS})
def trade_event_list(
    request, response: HttpResponse, trade_id: int, limit: int = DEFAULT_LIMIT, cursor: str = ""
):
    """The trade's append-only log, oldest first. Paged like every list (`Link` header)."""
    trade = trade_get(trade_id=trade_id, user=request.user)
    events = paginate(
        request,
        response,
        trade_events_for(trade=trade, user=request.user),
        ordering=("seq",),
        limit=limit,
        cursor=cursor,
    )
    return [
        {
            "seq": e.seq,
            "at": _local(e.at),
            "due_at": _local(e.due_at),
            "actor": e.actor,
            "action": e.action,
            "data": e.data,
            "notify": e.notify,
        }
        for e in events
    ]


@router.post("/trades/{trade_id}/actions", response={200: TradeOut, **ERRORS})
def trade_action(
    request,
    trade_id: int,
    payload: ActionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
):
    """Take an action (CONTRACT.md's vocabulary) as your side of the trade — or, for staff,
    as `operator`. Repeating a request with the same `Idempotency-Key` has one effect."""
    result = trade_act(
        trade_id=trade_id,
        user=request.user,
        idempotency_key=idempotency_key,
        **payload.model_dump(),  # exactly the fields this action's body has
    )
    return trade_resource(result.trade, request.user, result.actor)


class CarrierEventIn(Schema):
    tracking_number: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")
    status: Literal["delivered"]
    at: AwareDatetime | None = None


class CarrierEventOut(Schema):
    trade_id: int
    tracking_number: str
    recorded: bool
    delivered_at: datetime | None


CARRIER_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": CarrierEventIn.model_json_schema()}},
    }
}


@router.post(
    "/carrier/events",
    response={200: CarrierEventOut, **ERRORS},
    auth=None,
    openapi_extra=CARRIER_OPENAPI,
)
def carrier_event(
    request, x_furima_signature: str | None = Header(None, alias="X-Furima-Signature")
):
    """A carrier confirms a delivery. Signed: `X-Furima-Signature: sha256=<hex HMAC-SHA256
    of the raw body with FURIMA_CARRIER_SECRET>` (401 otherwise; checked before the body is
    read). An unknown tracking number is 404; a repeat answers 200 with `recorded: false`
    and changes nothing."""
    if not carrier_signature_valid(body=request.body, signature=x_furima_signature):
        raise Unauthenticated("missing or bad X-Furima-Signature")
    try:
        parsed = CarrierEventIn.model_validate_json(request.body)
    except PydanticError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise FurimaError(problems, code="validation_error") from None
    delivery = carrier_delivery_record(tracking_number=parsed.tracking_number, at=parsed.at)
    return {
        "trade_id": delivery.trade.pk,
        "tracking_number": delivery.trade.tracking_number,
        "recorded": delivery.recorded,
        "delivered_at": _local(delivery.delivered_at),
    }

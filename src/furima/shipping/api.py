"""/api/v1/addresses: the caller's address book (お届け先).

Only the owner ever reads an address here; another user's address id answers 404 as if it
did not exist. A trade's copy of the address is part of the trade resource, shown to the
buyer and — while it is needed to ship — to the seller (`furima.shipping.visibility`)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.timezone import localtime
from ninja import Field, Router, Schema, Status

from furima.pagination import DEFAULT_LIMIT, paginate
from furima.schemas import ERRORS
from furima.shipping.prefectures import prefectures
from furima.shipping.selectors import address_get, addresses_of
from furima.shipping.services import address_create, address_delete, address_update
from furima.shipping.validation import (
    MAX_CITY_LENGTH,
    MAX_LINE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PHONE_LENGTH,
)

router = Router(tags=["addresses"])


class AddressIn(Schema):
    """Checked and normalised by the service (400 `invalid_input` naming the field)."""

    name: str = Field(max_length=MAX_NAME_LENGTH, description="the recipient")
    postal_code: str = Field(
        max_length=10, description="7 digits: 1234567, 123-4567, full-width digits too"
    )
    prefecture: str = Field(
        max_length=10, description="JIS code (13), or the name (東京都 / Tokyo)"
    )
    city: str = Field(max_length=MAX_CITY_LENGTH, description="市区町村")
    address_line1: str = Field(max_length=MAX_LINE_LENGTH, description="town and block number")
    address_line2: str = Field("", max_length=MAX_LINE_LENGTH, description="building, room")
    phone: str = Field(max_length=MAX_PHONE_LENGTH, description="a Japanese phone number")


class ShippingAddressOut(Schema):
    name: str
    postal_code: str = Field(description="7 digits, normalised")
    prefecture: str = Field(description="JIS code")
    prefecture_name: str = Field(description="in Japanese (東京都)")
    city: str
    address_line1: str
    address_line2: str
    phone: str = Field(description="national format, 090-1234-5678")


class AddressOut(ShippingAddressOut):
    id: int
    created_at: datetime
    updated_at: datetime


class PrefectureOut(Schema):
    code: str
    ja: str
    en: str


def shipping_address_resource(address) -> dict:
    """The fields every address resource has (the book's and a trade's copy)."""
    prefecture = address.prefecture_entry
    return {
        "name": address.name,
        "postal_code": address.postal_code,
        "prefecture": address.prefecture,
        "prefecture_name": prefecture.ja if prefecture else "",
        "city": address.city,
        "address_line1": address.address_line1,
        "address_line2": address.address_line2,
        "phone": address.phone,
    }


def _address(address) -> dict:
    return {
        "id": address.pk,
        **shipping_address_resource(address),
        "created_at": localtime(address.created_at),
        "updated_at": localtime(address.updated_at),
    }


@router.get("/addresses", response={200: list[AddressOut], **ERRORS})
def addresses_list(request, response: HttpResponse, limit: int = DEFAULT_LIMIT, cursor: str = ""):
    """The caller's addresses, newest first. Paged: the next page's URL is in the `Link`
    header (rel="next")."""
    page = paginate(
        request,
        response,
        addresses_of(user=request.user),
        ordering=("-created_at", "-id"),
        limit=limit,
        cursor=cursor,
    )
    return [_address(a) for a in page]


@router.post("/addresses", response={201: AddressOut, **ERRORS})
def address_new(request, payload: AddressIn):
    """Add an address (at most 20: then 409 `conflict`)."""
    return Status(201, _address(address_create(user=request.user, **payload.dict())))


@router.get("/addresses/{address_id}", response={200: AddressOut, **ERRORS})
def address_detail(request, address_id: int):
    return _address(address_get(address_id=address_id, user=request.user))


@router.put("/addresses/{address_id}", response={200: AddressOut, **ERRORS})
def address_replace(request, address_id: int, payload: AddressIn):
    """Replace every field. Trades already bought keep the address they were bought with."""
    address = address_update(address_id=address_id, user=request.user, **payload.dict())
    return _address(address)


@router.delete("/addresses/{address_id}", response={204: None, **ERRORS})
def address_remove(request, address_id: int):
    address_delete(address_id=address_id, user=request.user)
    return Status(204, None)


def prefectures_out() -> list[dict]:
    """The 47 prefectures in JIS code order, for the catalogue (GET /api/v1/catalog)."""
    return [{"code": p.code, "ja": p.ja, "en": p.en} for p in prefectures().values()]

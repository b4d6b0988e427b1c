"""/api/v1/listings: browse, list an item. (Buying it: `trades/api_purchase.py`.)"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils import translation
from django.utils.timezone import localtime
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from furima.market.catalog import UNDECIDED_SHIPPING, Condition, catalog, fee_preview
from furima.market.models import MAX_BRAND_LENGTH, MAX_PRICE, MIN_PRICE, ShippingPayer, ShipWithin
from furima.market.photos import listing_photo_remove, listing_photos_add, listing_photos_reorder
from furima.market.search import MAX_QUERY_LENGTH, ListingSearch, listings_search
from furima.market.selectors import listing_get
from furima.market.services import (
    MAX_DESCRIPTION_LENGTH,
    MAX_TITLE_LENGTH,
    listing_create,
)
from furima.pagination import DEFAULT_LIMIT, paginate
from furima.schemas import ERRORS, PartyOut
from furima.shipping.api import PrefectureOut, prefectures_out

router = Router(tags=["market"])


class PhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int


class ListingOut(Schema):
    id: int
    title: str
    description: str
    price: int
    shipping_payer: str
    ship_within: str
    status: str
    seller: PartyOut
    created_at: datetime
    condition: str
    category: str | None
    brand: str
    shipping_method: str
    shipping_tracked: bool
    shipping_anonymous: bool
    photos: list[PhotoOut]
    fee_percent: int = Field(description="the platform's fee rate (its default policy)")
    platform_fee: int = Field(description="the fee in yen at this price, rounded down")
    seller_profit: int = Field(description="販売利益: price minus the fee")
    like_count: int = Field(0, description="いいね: how many people liked the item")


class ListingIn(Schema):
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    price: int = Field(ge=MIN_PRICE, le=MAX_PRICE)
    description: str = Field("", max_length=MAX_DESCRIPTION_LENGTH)
    shipping_payer: ShippingPayer = ShippingPayer.SELLER
    ship_within: ShipWithin = ShipWithin.DAYS_2_3
    condition: Condition = Condition.NO_VISIBLE_WEAR
    category: str = Field("", max_length=40, description="a leaf id from GET /api/v1/catalog")
    brand: str = Field("", max_length=MAX_BRAND_LENGTH)
    shipping_method: str = Field(UNDECIDED_SHIPPING, max_length=40)


def listing_photos_out(listing, request) -> list[dict]:
    """The photos in order, cover first; URLs made absolute (the storage may give a path)."""
    return [
        {
            "id": photo.pk,
            "url": request.build_absolute_uri(photo.image.url),
            "thumbnail_url": request.build_absolute_uri(photo.thumbnail.url),
            "width": photo.width,
            "height": photo.height,
        }
        for photo in listing.photos.all()
    ]


def _listing(listing, request) -> dict:
    seller = listing.seller
    fee = fee_preview(listing.price)
    return {
        "id": listing.pk,
        "title": listing.title,
        "description": listing.description,
        "price": listing.price,
        "shipping_payer": listing.shipping_payer,
        "ship_within": listing.ship_within,
        "status": listing.status,
        "seller": {
            "id": seller.pk,
            "username": seller.username,
            "display_name": seller.display_name,
        },
        "created_at": localtime(listing.created_at),  # Asia/Tokyo, as every time leaves
        "condition": listing.condition,
        "category": listing.category or None,
        "brand": listing.brand,
        "shipping_method": listing.shipping.id,
        "shipping_tracked": listing.shipping.tracked,
        "shipping_anonymous": listing.shipping.anonymous,
        "photos": listing_photos_out(listing, request),
        "fee_percent": fee.fee_percent,
        "platform_fee": fee.fee,
        "seller_profit": fee.profit,
        "like_count": listing.like_count,
    }


@router.get("/listings", response={200: list[ListingOut], **ERRORS}, auth=None)
def listings_list(
    request,
    response: HttpResponse,
    q: str = Query("", max_length=MAX_QUERY_LENGTH),
    category: str = Query("", max_length=40, description="a leaf or top id of GET /catalog"),
    price_min: int | None = Query(None, description="yen, inclusive"),
    price_max: int | None = Query(None, description="yen, inclusive"),
    condition: Condition | None = None,
    status: Literal["all", "on_sale", "sold"] = "all",
    sort: Literal["newest", "price_asc", "price_desc"] = "newest",
    limit: int = DEFAULT_LIMIT,
    cursor: str = "",
):
    """Search: items on sale and sold ones (`status` narrows it), newest first or by price.
    `q` matches every word as a substring of the title or description (「イヤホン」 finds
    「ワイヤレスイヤホン」). Paged: the next page's URL, filters kept, is in the `Link`
    header (rel="next"); a cursor belongs to its sort."""
    search = ListingSearch(
        query=q,
        category=category,
        price_min=price_min,
        price_max=price_max,
        condition=str(condition or ""),
        status=status,
        sort=sort,
    )
    page = paginate(
        request,
        response,
        listings_search(search),
        ordering=search.ordering,
        limit=limit,
        cursor=cursor,
    )
    return [_listing(x, request) for x in page]


@router.get("/listings/{listing_id}", response={200: ListingOut, **ERRORS}, auth=None)
def listing_detail(request, listing_id: int):
    return _listing(listing_get(listing_id=listing_id), request)


@router.post("/listings", response={201: ListingOut, **ERRORS})
def listing_new(request, payload: ListingIn):
    data = payload.dict()
    for name in ("shipping_payer", "ship_within", "condition"):
        data[name] = str(data[name])
    listing = listing_create(seller=request.user, **data)
    return Status(201, _listing(listing, request))


@router.post("/listings/{listing_id}/photos", response={201: ListingOut, **ERRORS})
def listing_photos_upload(request, listing_id: int, photos: File[list[UploadedFile]]):
    """Add photos to your item on sale: `multipart/form-data`, one `photos` part per file
    (JPEG, PNG or WebP). A listing holds at most 10. All or nothing: one bad file
    (400 `invalid_image`, 413 `image_too_large`) or too many (400 `too_many_photos`) and
    none is stored. Stored photos are upright, without EXIF, at most 1280 px."""
    listing = listing_photos_add(listing_id=listing_id, user=request.user, photos=photos)
    return Status(201, _listing(listing_get(listing_id=listing.pk), request))


@router.delete("/listings/{listing_id}/photos/{int:photo_id}", response={200: ListingOut, **ERRORS})
def listing_photo_delete(request, listing_id: int, photo_id: int):
    """Remove one photo of your item on sale; the ones after it move up."""
    listing_photo_remove(listing_id=listing_id, user=request.user, photo_id=photo_id)
    return _listing(listing_get(listing_id=listing_id), request)


class PhotoOrderIn(Schema):
    photo_ids: list[int]


@router.put("/listings/{listing_id}/photos/order", response={200: ListingOut, **ERRORS})
def listing_photos_order(request, listing_id: int, payload: PhotoOrderIn):
    """Put the photos of your item on sale in a new order: `photo_ids` lists every photo's
    `id` once, the cover first. Anything else is 400 `invalid_input` and nothing moves."""
    listing_photos_reorder(listing_id=listing_id, user=request.user, photo_ids=payload.photo_ids)
    return _listing(listing_get(listing_id=listing_id), request)


class NamedOut(Schema):
    id: str
    ja: str
    en: str


class CategoryOut(NamedOut):
    children: list[NamedOut]


class ShippingMethodOut(NamedOut):
    tracked: bool
    anonymous: bool
    carrier: NamedOut | None
    tracking_number: str = Field(
        description="the shipping notice's tracking number: required, optional or none"
    )


class CatalogOut(Schema):
    conditions: list[NamedOut]
    categories: list[CategoryOut]
    shipping_methods: list[ShippingMethodOut]
    prefectures: list[PrefectureOut] = Field(description="for addresses: the 47, by JIS code")


@router.get("/catalog", response={200: CatalogOut, **ERRORS}, auth=None)
def catalog_get(request):
    """What a listing is described with: the conditions, the two-level category tree (a
    listing names a child) and the shipping methods (carrier, tracking number required /
    optional / none, anonymous?); and the 47 prefectures an address names."""
    known = catalog()
    conditions = []
    for value in Condition.values:
        names = {}
        for language in ("ja", "en"):
            with translation.override(language):
                names[language] = str(Condition(value).label)
        conditions.append({"id": value, **names})
    return {
        "conditions": conditions,
        "categories": [
            {
                "id": top.id,
                "ja": top.ja,
                "en": top.en,
                "children": [{"id": c.id, "ja": c.ja, "en": c.en} for c in children],
            }
            for top, children in known.top_categories
        ],
        "shipping_methods": [
            {
                "id": m.id,
                "ja": m.ja,
                "en": m.en,
                "tracked": m.tracked,
                "anonymous": m.anonymous,
                "carrier": None
                if m.carrier is None
                else {"id": m.carrier.id, "ja": m.carrier.ja, "en": m.carrier.en},
                "tracking_number": m.tracking_number,
            }
            for m in known.shipping_methods.values()
        ],
        "prefectures": prefectures_out(),
    }

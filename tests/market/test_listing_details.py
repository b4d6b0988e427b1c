"""A listing says what the item is and how it ships: condition (the six grades), category (a
leaf of the two-level tree), brand, shipping method (tracked? anonymous?), and the fee and
profit (販売利益) the platform's policy leaves the seller."""

import pytest
from django.test import Client

from furima.market.catalog import catalog
from furima.market.models import Listing
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")

EARPHONES = {
    "title": "ワイヤレスイヤホン",
    "price": 4980,
    "condition": "like_new",
    "category": "electronics-audio",
    "brand": "Sony",
    "shipping_method": "anonymous-yupacket",
}


def test_the_listing_resource_carries_its_details_and_the_fee(db):
    response = Api(make_user()).post("/listings", EARPHONES)
    assert response.status_code == 201, response.content
    listing = response.json()
    assert {k: listing[k] for k in EARPHONES} == EARPHONES
    assert (listing["shipping_tracked"], listing["shipping_anonymous"]) == (True, True)
    assert listing["photos"] == []
    # furima: 5%, rounded down to the yen
    assert (listing["fee_percent"], listing["platform_fee"], listing["seller_profit"]) == (
        5,
        249,
        4731,
    )
    assert Api().get(f"/listings/{listing['id']}").json() == listing


def test_a_listing_without_details_gets_the_defaults(db):
    listing = Api(make_user()).post("/listings", {"title": "本", "price": 300}).json()
    assert (listing["condition"], listing["category"], listing["shipping_method"]) == (
        "no_visible_wear",
        None,
        "undecided",
    )


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"category": "electronics"}, 400),  # a top category, not a leaf
        ({"category": "no-such-thing"}, 400),
        ({"shipping_method": "pigeon"}, 400),
        ({"shipping_payer": "buyer"}, 400),  # anonymous shipping is always seller-paid
        ({"condition": "mint"}, 422),
        ({"brand": "x" * 51}, 422),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(db, change, status):
    response = Api(make_user()).post("/listings", {**EARPHONES, **change})
    assert response.status_code == status, response.content
    assert not Listing.objects.exists()


def test_the_catalog_lists_conditions_categories_and_shipping_methods(db):
    body = Api().get("/catalog").json()
    assert [c["ja"] for c in body["conditions"]] == [
        "新品、未使用",
        "未使用に近い",
        "目立った傷や汚れなし",
        "やや傷や汚れあり",
        "傷や汚れあり",
        "全体的に状態が悪い",
    ]
    leaves = {c["id"] for top in body["categories"] for c in top["children"]}
    assert leaves == set(catalog().categories)
    methods = {m["id"]: (m["tracked"], m["anonymous"]) for m in body["shipping_methods"]}
    assert methods["teikeigai"] == (False, False)
    assert methods["anonymous-takkyubin"] == (True, True)


def test_the_sell_form_previews_fee_and_profit_as_the_price_changes(db):
    client = signed_in(make_user())
    partial = client.get("/items/fee/", {"price": "1000"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'data-testid="fee">50円<' in html
    assert 'data-testid="profit">950円<' in html
    page = client.get("/items/new/").content.decode()
    assert 'hx-get="/items/fee/"' in page
    assert 'id="fee-preview"' in page
    assert client.get("/items/fee/", {"price": "abc"}).status_code == 200


def test_a_refused_form_shows_the_fee_for_the_typed_price(db):
    client = signed_in(make_user())
    response = client.post("/items/new/", {"title": "", "price": "2000"})
    assert response.status_code == 400
    assert 'data-testid="fee">100円<' in response.content.decode()


def test_the_sell_form_saves_the_details_and_the_item_page_shows_them(db):
    client = signed_in(make_user())
    response = client.post(
        "/items/new/",
        {**EARPHONES, "shipping_payer": "seller", "ship_within": "1-2"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert (listing.condition, listing.category, listing.brand) == (
        "like_new",
        "electronics-audio",
        "Sony",
    )
    html = Client().get(f"/items/{listing.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "未使用に近い" in html
    assert "家電・スマホ・カメラ &gt; オーディオ機器" in html
    assert "かんたん匿名便（ゆうパケット）" in html

"""A purchase buys what the buyer was shown, under the platform's rules, once.

Bait and switch (the seller edits the price while the buyer looks at the confirmation step)
answers 409 `price_changed` and writes nothing; the buyer's confirmation step shows the
change. The policy is the platform's: a buyer naming one gets 403 `forbidden` outside demo
mode. An idempotency key reused for a different purchase is 409 `conflict`."""

import pytest

from furima.errors import Conflict, Forbidden, PriceChanged
from furima.market.models import Listing
from furima.market.services import listing_update
from furima.trades.models import IdempotencyKey, Trade
from furima.trades.purchase import listing_purchase
from tests.api.test_api import Api, buy
from tests.clients import signed_in
from tests.factories import make_address, make_listing, make_staff, make_user
from tests.trades.test_refusals import writes_nothing

pytestmark = pytest.mark.usefixtures("clock")


def _edit(listing, **changes):
    fields = {
        "title": listing.title,
        "price": listing.price,
        "description": listing.description,
        "shipping_payer": listing.shipping_payer,
        "ship_within": listing.ship_within,
        "shipping_method": listing.shipping_method,
        **changes,
    }
    return listing_update(listing_id=listing.pk, user=listing.seller, **fields)


def test_a_price_raised_after_the_buyer_saw_it_is_409_price_changed_and_writes_nothing(db):
    listing = make_listing(price=1000)
    buyer = Api(make_user())
    _edit(listing, price=9_999_999)
    with writes_nothing():
        response = buy(buyer, listing, {"expected_price": 1000})
    assert response.status_code == 409
    assert response.json()["error"] == "price_changed"
    assert "9999999" in response.json()["detail"]
    assert Listing.objects.get(pk=listing.pk).status == "on_sale"


def test_the_api_purchase_requires_the_expected_price(db):
    listing = make_listing()
    response = Api(make_user()).post(f"/listings/{listing.pk}/purchase", {})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert not Trade.objects.exists()


def test_changed_shipping_terms_are_a_changed_price_too(db):
    listing = make_listing(price=1000, ship_within="1-2")
    _edit(listing, ship_within="4-7")
    with pytest.raises(PriceChanged):
        listing_purchase(
            listing_id=listing.pk, buyer=make_user(), expected_price=1000, ship_within="1-2"
        )
    response = buy(
        Api(make_user()),
        listing,
        {"expected_price": 1000, "shipping_payer": "seller", "ship_within": "1-2"},
    )
    assert response.status_code == 409 and response.json()["error"] == "price_changed"


def test_the_shown_price_buys_the_item_at_that_price(db):
    listing = make_listing(price=1000)
    response = buy(
        Api(make_user()),
        listing,
        {"expected_price": 1000, "shipping_payer": "seller", "ship_within": "2-3"},
    )
    assert response.status_code == 201
    assert response.json()["price"] == 1000


def test_the_web_confirmation_step_shows_the_change_instead_of_buying(db):
    listing = make_listing(price=1000)
    user = make_user()
    address = make_address(user)
    buyer = signed_in(user)
    page = buyer.get(f"/items/{listing.pk}/buy/").content.decode()
    assert 'name="expected_price" value="1000"' in page
    _edit(listing, price=9_999_999)  # the seller edits while the buyer reads
    response = buyer.post(
        f"/items/{listing.pk}/buy/",
        {
            "expected_price": 1000,
            "shipping_payer": "seller",
            "shipping_method": "undecided",
            "ship_within": "2-3",
            "address": address.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert not Trade.objects.exists()
    assert 'data-testid="terms-changed"' in html
    assert "9,999,999" in html and "<s>" in html
    # the step now carries the new price: buying from it is buying what is shown
    assert 'name="expected_price" value="9999999"' in html


def test_a_web_purchase_without_the_shown_terms_buys_nothing(db):
    listing = make_listing()
    response = signed_in(make_user()).post(f"/items/{listing.pk}/buy/")
    assert response.status_code == 400
    assert not Trade.objects.exists()


def test_a_buyer_may_not_choose_the_policy(db, settings):
    settings.FURIMA_DEMO = False
    listing = make_listing()
    with writes_nothing():
        response = buy(Api(make_user()), listing, {"expected_price": 1200, "policy": "rakuma-2016"})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_in_demo_mode_anyone_may_try_another_policy(db, settings):
    settings.FURIMA_DEMO = True
    trade = listing_purchase(
        listing_id=make_listing().pk, buyer=make_user(), policy_id="rakuma-2016"
    )
    assert trade.policy_id == "rakuma-2016"


def test_staff_may_choose_the_policy(db, settings):
    settings.FURIMA_DEMO = False
    trade = listing_purchase(
        listing_id=make_listing().pk, buyer=make_staff(), policy_id="mercari-2016"
    )
    assert trade.policy_id == "mercari-2016"


def test_a_buyer_naming_the_policy_is_refused_by_the_service_too(db, settings):
    settings.FURIMA_DEMO = False
    with pytest.raises(Forbidden):
        listing_purchase(listing_id=make_listing().pk, buyer=make_user(), policy_id="furima")


def test_the_same_key_with_a_different_purchase_is_409_conflict(db):
    first_listing, second_listing = make_listing(), make_listing()
    api = Api(make_user())
    key = {"Idempotency-Key": "buy-once"}
    first = buy(api, first_listing, {"expected_price": 1200}, **key)
    assert first.status_code == 201
    with writes_nothing():
        other = buy(api, second_listing, {"expected_price": 1200}, **key)
    assert other.status_code == 409
    assert other.json()["error"] == "conflict"
    again = buy(api, first_listing, {"expected_price": 1200}, **key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_the_same_key_with_a_different_body_for_the_same_listing_is_a_conflict(db):
    listing = make_listing(price=1200)
    buyer = make_user()
    listing_purchase(listing_id=listing.pk, buyer=buyer, expected_price=1200, idempotency_key="k")
    with pytest.raises(Conflict):
        listing_purchase(
            listing_id=listing.pk, buyer=buyer, expected_price=1200, ship_within="4-7",
            idempotency_key="k",
        )  # fmt: skip
    assert IdempotencyKey.objects.count() == 1


def test_a_shipping_method_changed_after_the_buyer_saw_it_is_409_price_changed(db):
    listing = make_listing(shipping_method="yupack")
    _edit(listing, shipping_method="anonymous-takkyubin")
    with writes_nothing():
        response = buy(
            Api(make_user()), listing, {"expected_price": 1200, "shipping_method": "yupack"}
        )
    assert response.status_code == 409
    assert response.json()["error"] == "price_changed"
    assert "anonymous-takkyubin" in response.json()["detail"]
    assert response.json()["changed"] == ["shipping_method"]


def test_a_shipping_payer_changed_after_the_buyer_saw_it_is_409_price_changed(db):
    listing = make_listing()
    _edit(listing, shipping_payer="buyer")
    with writes_nothing():
        response = buy(
            Api(make_user()), listing, {"expected_price": 1200, "shipping_payer": "seller"}
        )
    assert response.status_code == 409 and response.json()["error"] == "price_changed"
    assert response.json()["changed"] == ["shipping_payer"]


def test_the_trade_keeps_the_shipping_terms_it_was_bought_with(db):
    listing = make_listing(shipping_method="clickpost")
    response = buy(
        Api(make_user()),
        listing,
        {"expected_price": 1200, "shipping_method": "clickpost", "shipping_payer": "seller"},
    )
    assert response.status_code == 201
    trade = Trade.objects.get()
    assert (trade.shipping_method, trade.shipping_payer) == ("clickpost", "seller")
    assert response.json()["shipping_method"] == "clickpost"


def test_the_web_step_shows_a_changed_shipping_method_instead_of_buying(db):
    listing = make_listing(shipping_method="yupack")
    user = make_user()
    address = make_address(user)
    buyer = signed_in(user)
    page = buyer.get(f"/items/{listing.pk}/buy/").content.decode()
    assert 'name="shipping_method" value="yupack"' in page
    _edit(listing, shipping_method="teikeigai")
    response = buyer.post(
        f"/items/{listing.pk}/buy/",
        {
            "expected_price": 1200,
            "shipping_payer": "seller",
            "shipping_method": "yupack",
            "ship_within": "2-3",
            "address": address.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert not Trade.objects.exists()
    assert 'data-testid="changed-shipping-method"' in html
    assert 'name="shipping_method" value="teikeigai"' in html
    assert f'value="{address.pk}" checked' in html  # the chosen address stays chosen

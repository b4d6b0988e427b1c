"""One address is chosen at purchase, and the trade keeps a copy of it: later edits to the
address book never change where a bought item goes. The API purchase CONTRACT.md describes
(only `expected_price`) still works: it takes the newest address in the book, or none. A web
purchase without a chosen address, or any purchase with someone else's, is refused and
writes nothing."""

import pytest

from furima.errors import NotFound
from furima.shipping.models import TradeAddress
from furima.shipping.services import address_delete, address_update
from furima.trades.models import Trade
from furima.trades.purchase import listing_purchase
from tests.api.test_api import Api, buy
from tests.clients import signed_in
from tests.factories import ADDRESS, make_address, make_listing, make_user
from tests.trades.test_refusals import writes_nothing

pytestmark = pytest.mark.usefixtures("clock")


def test_the_trade_keeps_a_copy_of_the_chosen_address(db):
    buyer = make_user()
    make_address(buyer, name="他の住所")
    chosen = make_address(buyer, city="目黒区")
    trade = listing_purchase(listing_id=make_listing().pk, buyer=buyer, address_id=chosen.pk)
    assert (trade.ship_to.city, trade.ship_to.postal_code) == ("目黒区", "1500001")


def test_editing_or_deleting_the_address_later_does_not_move_the_parcel(db):
    buyer = make_user()
    address = make_address(buyer)
    trade = listing_purchase(listing_id=make_listing().pk, buyer=buyer, address_id=address.pk)
    address_update(address_id=address.pk, user=buyer, **{**ADDRESS, "city": "札幌市"})
    assert TradeAddress.objects.get(trade=trade).city == "渋谷区"
    address_delete(address_id=address.pk, user=buyer)
    assert TradeAddress.objects.get(trade=trade).city == "渋谷区"


def test_the_contracts_api_purchase_takes_the_newest_address_in_the_book(db):
    buyer = make_user()
    make_address(buyer, city="目黒区")
    make_address(buyer, city="札幌市")
    listing = make_listing()
    response = Api(buyer).post(f"/listings/{listing.pk}/purchase", {"expected_price": 1200})
    assert response.status_code == 201
    assert response.json()["shipping_address"]["city"] == "札幌市"


def test_the_contracts_api_purchase_with_an_empty_book_buys_without_an_address(db):
    listing = make_listing()
    response = Api(make_user()).post(f"/listings/{listing.pk}/purchase", {"expected_price": 1200})
    assert response.status_code == 201
    assert response.json()["shipping_address"] is None
    assert not TradeAddress.objects.exists()


def test_someone_elses_address_is_404_and_nothing_is_bought(db):
    listing = make_listing()
    others = make_address(make_user())
    with writes_nothing():
        response = Api(make_user()).post(
            f"/listings/{listing.pk}/purchase", {"expected_price": 1200, "address_id": others.pk}
        )
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert listing.__class__.objects.get(pk=listing.pk).status == "on_sale"


def test_the_service_refuses_another_users_address_too(db):
    listing = make_listing()
    with writes_nothing(), pytest.raises(NotFound):
        listing_purchase(
            listing_id=listing.pk,
            buyer=make_user(),
            address_id=make_address(make_user()).pk,
            require_address=True,
        )


def test_the_api_purchase_answers_the_trade_with_the_address_for_the_buyer(db):
    response = buy(Api(make_user()), make_listing(), {"expected_price": 1200})
    assert response.status_code == 201
    assert response.json()["shipping_address"]["postal_code"] == "1500001"


def test_the_confirmation_step_offers_the_buyers_addresses(db):
    user = make_user()
    address = make_address(user)
    page = signed_in(user).get(f"/items/{make_listing().pk}/buy/").content.decode()
    assert f'name="address" value="{address.pk}" checked' in page
    assert "〒150-0001" in page


def test_without_an_address_the_step_asks_for_one_and_cannot_buy(db):
    listing = make_listing()
    page = signed_in(make_user()).get(f"/items/{listing.pk}/buy/").content.decode()
    assert 'data-testid="no-address"' in page
    assert f'href="/accounts/addresses/new/?next=/items/{listing.pk}/buy/"' in page
    assert 'data-testid="confirm-purchase"' not in page


def test_a_web_purchase_without_a_chosen_address_is_400_and_buys_nothing(db):
    listing = make_listing()
    user = make_user()
    make_address(user)
    shown = {
        "expected_price": 1200,
        "shipping_payer": "seller",
        "shipping_method": "undecided",
        "ship_within": "2-3",
    }
    response = signed_in(user).post(f"/items/{listing.pk}/buy/", shown)
    assert response.status_code == 400
    assert not Trade.objects.exists()
    other = make_address(make_user())
    response = signed_in(user).post(f"/items/{listing.pk}/buy/", {**shown, "address": other.pk})
    assert response.status_code == 404
    assert not Trade.objects.exists()

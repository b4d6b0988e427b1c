"""Who sees a trade's shipping address (furima.shipping.visibility): the buyer always; the
seller only after the purchase, only for that trade, only while it is needed to ship (until
7 days after the shipping notice; never after the receipt evaluation, completion or a
cancellation), and never with an anonymous shipping method; nobody else — staff included —
on the trade screen or the API."""

from datetime import timedelta

import pytest

from furima.shipping.visibility import SELLER_GRACE_AFTER_SHIPPING
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import make_address, make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

STREET = "神宮前1-2-3"


def seller_sees(trade) -> bool:
    api = Api(trade.seller).get(f"/trades/{trade.pk}").json()["shipping_address"]
    page = signed_in(trade.seller).get(f"/trades/{trade.pk}/").content.decode()
    assert (api is not None) == (STREET in page), "the API and the screen must agree"
    return api is not None


def test_before_the_purchase_the_seller_cannot_reach_the_buyers_addresses(db):
    buyer = make_user()
    address = make_address(buyer)
    seller = Api(make_user())
    assert seller.get(f"/addresses/{address.pk}").status_code == 404
    assert seller.get("/addresses").json() == []


def test_after_the_purchase_the_seller_sees_it_to_ship(db):
    trade = make_trade("awaiting_shipment", with_address=True)
    assert seller_sees(trade)
    body = Api(trade.seller).get(f"/trades/{trade.pk}").json()
    assert body["shipping_address"]["name"] == "山田 太郎"
    assert body["shipping_address_visible_until"] is None  # until shipped, then 7 days


def test_the_seller_sees_it_until_7_days_after_shipping(db, clock):
    trade = make_trade("shipped", with_address=True)
    shipped_at = trade.shipped_at
    body = Api(trade.seller).get(f"/trades/{trade.pk}").json()
    assert body["shipping_address_visible_until"] == (
        (shipped_at + SELLER_GRACE_AFTER_SHIPPING).astimezone(clock.now().tzinfo).isoformat()
    )
    clock.set(shipped_at + SELLER_GRACE_AFTER_SHIPPING - timedelta(seconds=1))
    assert seller_sees(trade)
    clock.set(shipped_at + SELLER_GRACE_AFTER_SHIPPING)
    assert not seller_sees(trade)
    page = signed_in(trade.seller).get(f"/trades/{trade.pk}/").content.decode()
    assert 'data-testid="ship-to-hidden"' in page


@pytest.mark.parametrize("state", ["awaiting_seller_rating", "completed", "cancelled"])
def test_once_receipt_is_rated_or_the_trade_ends_the_seller_no_longer_sees_it(db, state):
    trade = make_trade(state, with_address=True)
    assert not seller_sees(trade)


@pytest.mark.parametrize("method", ["anonymous-takkyubin", "anonymous-yupacket"])
@pytest.mark.parametrize("state", ["awaiting_shipment", "shipped"])
def test_anonymous_shipping_never_shows_it_to_the_seller(db, method, state):
    trade = make_trade(state, shipping_method=method, with_address=True)
    assert not seller_sees(trade)
    page = signed_in(trade.seller).get(f"/trades/{trade.pk}/").content.decode()
    assert "匿名配送" in page or "Anonymous shipping" in page


@pytest.mark.parametrize("state", ["awaiting_shipment", "shipped", "completed", "cancelled"])
def test_the_buyer_always_sees_their_own_address(db, state):
    trade = make_trade(state, shipping_method="anonymous-yupacket", with_address=True)
    body = Api(trade.buyer).get(f"/trades/{trade.pk}").json()
    assert body["shipping_address"]["address_line1"] == STREET
    assert STREET in signed_in(trade.buyer).get(f"/trades/{trade.pk}/").content.decode()


def test_the_seller_sees_it_only_for_that_trade(db):
    seller = make_user()
    buyer = make_user()
    sold = make_trade(seller=seller, buyer=buyer, with_address=True)
    # The buyer's address book stays theirs: the seller of one trade reads no other.
    for address in buyer.addresses.all():
        assert Api(seller).get(f"/addresses/{address.pk}").status_code == 404
    other = make_trade(buyer=buyer, with_address=True)  # another seller's trade
    assert Api(seller).get(f"/trades/{other.pk}").status_code == 404
    assert Api(seller).get(f"/trades/{sold.pk}").json()["shipping_address"] is not None


def test_other_users_and_staff_never_get_it_on_the_api_or_the_trade_screen(db):
    trade = make_trade(with_address=True)
    assert Api(make_user()).get(f"/trades/{trade.pk}").status_code == 404
    staff = make_staff()
    assert Api(staff).get(f"/trades/{trade.pk}").json()["shipping_address"] is None
    assert STREET not in signed_in(staff).get(f"/trades/{trade.pk}/").content.decode()


def test_the_trade_list_follows_the_same_rule(db):
    trade = make_trade("completed", with_address=True)
    [listed] = Api(trade.seller).get("/trades").json()
    assert listed["shipping_address"] is None
    [listed] = Api(trade.buyer).get("/trades").json()
    assert listed["shipping_address"] is not None

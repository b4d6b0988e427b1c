"""The shipping journey in a real browser, on a 390 px phone and at 1280 px: the buyer adds
an address from the purchase step (typed with full-width digits), buys choosing it; the
seller sees the address on the trade screen and ships by 宅急便 with the tracking number;
both sides then see the carrier and the number. Each state is audited (console, sideways
scrolling, axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from furima.market.services import listing_create
from tests.browser.audit import audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_user


@pytest.mark.parametrize("width", [390, 1280])
def test_buyer_adds_an_address_buys_and_the_seller_ships_with_a_tracking_number(
    live_server, browser, clock, width
):
    base = live_server.url
    seller_user, buyer_user = make_user("hanako"), make_user("taro")
    listing = listing_create(
        seller=seller_user, title="キャンプ用 ランタン", price=2600, shipping_method="takkyubin"
    )
    buyer = sign_in(open_page(browser, width=width), base, buyer_user)
    seller = sign_in(open_page(browser, width=width), base, seller_user)

    # 購入: no address yet, so the purchase step asks for one and comes back.
    buyer.goto(f"{base}/items/{listing.pk}/buy/")
    expect(buyer.get_by_test_id("no-address")).to_be_visible()
    expect(buyer.get_by_test_id("confirm-purchase")).to_have_count(0)
    buyer.get_by_test_id("add-address").click()
    buyer.locator("#id_name").fill("山田 太郎")
    buyer.locator("#id_postal_code").fill("１５０－０００１")
    buyer.locator("#id_prefecture").select_option("13")
    buyer.locator("#id_city").fill("渋谷区")
    buyer.locator("#id_address_line1").fill("神宮前1-2-3")
    buyer.locator("#id_phone").fill("090-1234-5678")
    audit(buyer, "shipping-01-address-form")
    buyer.get_by_test_id("save-address").click()
    expect(buyer.get_by_test_id("ship-to")).to_contain_text("〒150-0001")
    expect(buyer.get_by_test_id("purchase-shipping-method")).to_have_text("宅急便")
    audit(buyer, "shipping-02-purchase-step")
    buyer.get_by_test_id("confirm-purchase").click()
    expect(buyer.get_by_test_id("state")).to_contain_text("発送待ち")
    trade_url = buyer.url

    # The seller sees where to ship — for this trade, while it is needed — and ships.
    seller.goto(trade_url)
    expect(seller.get_by_test_id("ship-to")).to_contain_text("東京都渋谷区神宮前1-2-3")
    expect(seller.get_by_test_id("ship-to")).to_contain_text("山田 太郎")
    audit(seller, "shipping-03-seller-sees-address")
    seller.reload()  # the swap on a fresh page: the audit ran axe-core in this one
    seller.get_by_test_id("tracking-number").fill("1234-5678-9012")
    seller.get_by_test_id("ship").click()
    expect(seller.get_by_test_id("state")).to_contain_text("発送済み")
    expect(seller.get_by_test_id("carrier")).to_have_text("ヤマト運輸")
    expect(seller.get_by_test_id("tracking-number-shown")).to_have_text("123456789012")
    audit(seller, "shipping-04-shipped-seller")

    # The buyer sees the same carrier and number.
    buyer.reload()
    expect(buyer.get_by_test_id("carrier")).to_have_text("ヤマト運輸")
    expect(buyer.get_by_test_id("tracking-number-shown")).to_have_text("123456789012")
    audit(buyer, "shipping-05-shipped-buyer")

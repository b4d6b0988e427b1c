"""Issue #14's whole market journey in chromium on a 390 px phone, under the furima policy:
a seller lists an item with two photos; a buyer finds it by part of a Japanese word, asks a
question and the seller answers; the buyer buys it choosing one of two addresses; the seller
sees that address and ships by 宅急便 with a tracking number; the carrier's signed webhook
marks it delivered; and two days later at 13:00 (Tokyo) the engine's timers rate receipt on
the buyer's behalf — not a minute before. Every state passes `audit`."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from furima.trades.models import Trade
from furima.trades.tasks import timers_sweep
from tests.browser.audit import audit, open_page
from tests.browser.people import sign_in
from tests.browser.test_photos_and_search import fill_item
from tests.factories import make_address, make_user

SECRET = "carrier-journey-secret"
TOKYO = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture(autouse=True)
def _carrier_secret(settings):
    settings.FURIMA_CARRIER_SECRET = SECRET


def carrier_delivers(browser, base: str, tracking_number: str, at: datetime):
    """The carrier's call, over HTTP from a context with no cookies, signed as README says."""
    body = json.dumps(
        {"tracking_number": tracking_number, "status": "delivered", "at": at.isoformat()}
    ).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    context = browser.new_context()
    try:
        response = context.request.post(
            f"{base}/api/v1/carrier/events",
            data=body,
            headers={"Content-Type": "application/json", "X-Furima-Signature": signature},
        )
        return response.status, response.json()
    finally:
        context.close()


def test_list_find_ask_buy_ship_deliver_and_receipt_is_rated_two_days_later_at_13(
    live_server, browser, clock
):
    base = live_server.url
    seller_user, buyer_user = make_user("hanako"), make_user("taro")
    make_address(buyer_user)  # home
    make_address(buyer_user, name="山田 花子", city="札幌市中央区", prefecture="01")
    seller = sign_in(open_page(browser, width=390), base, seller_user)
    buyer = sign_in(open_page(browser, width=390), base, buyer_user)

    # 出品: two photos, shipped by 宅急便.
    seller.goto(f"{base}/items/new/")
    fill_item(seller, "ワイヤレスイヤホン 白")
    seller.locator("#id_shipping_method").select_option("takkyubin")
    expect(seller.get_by_test_id("photo-preview").locator("img")).to_have_count(2)
    audit(seller, "journey-01-sell-form")
    seller.get_by_role("button", name="出品する").click()
    expect(seller.get_by_test_id("gallery").locator("img")).to_have_count(2)
    audit(seller, "journey-02-item-listed")
    item_url = seller.url

    # 検索: part of a word finds it.
    buyer.goto(f"{base}/items/")
    buyer.get_by_label("商品を検索").fill("イヤホン")
    buyer.get_by_test_id("search-submit").click()
    card = buyer.get_by_test_id("listing-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("ワイヤレスイヤホン 白")
    audit(buyer, "journey-03-found")
    card.click()  # the card is the link
    expect(buyer).to_have_url(item_url)

    # 質問 and the seller's answer.
    buyer.get_by_label("質問・コメント").fill("箱と説明書はありますか？")
    buyer.get_by_test_id("post-comment").click()
    expect(buyer.get_by_test_id("comment")).to_have_count(1)
    audit(buyer, "journey-04-asked")
    seller.goto(item_url)
    seller.get_by_label("回答・コメント").fill("どちらもあります。")
    seller.get_by_test_id("post-comment").click()
    expect(seller.get_by_test_id("comment").nth(1).get_by_test_id("seller-mark")).to_have_text(
        "出品者"
    )
    buyer.reload()
    expect(buyer.get_by_test_id("comment").nth(1)).to_contain_text("どちらもあります。")

    # 購入, choosing the second address.
    buyer.get_by_test_id("buy").click()
    choices = buyer.get_by_test_id("ship-to").locator("input[type=radio]")
    expect(choices).to_have_count(2)
    parents_home = buyer.get_by_label(re.compile("札幌市中央区"))
    parents_home.check()
    expect(parents_home).to_be_checked()
    expect(buyer.get_by_test_id("purchase-shipping-method")).to_have_text("宅急便")
    audit(buyer, "journey-05-purchase-step")
    buyer.get_by_test_id("confirm-purchase").click()
    expect(buyer.get_by_test_id("state")).to_contain_text("発送待ち")
    trade_url = buyer.url

    # The seller sees the chosen address and ships with the tracking number.
    seller.goto(trade_url)
    expect(seller.get_by_test_id("ship-to")).to_contain_text("北海道札幌市中央区")
    expect(seller.get_by_test_id("ship-to")).to_contain_text("山田 花子")
    audit(seller, "journey-06-seller-sees-address")
    seller.reload()  # the swap on a fresh page: the audit ran axe-core in this one
    seller.get_by_test_id("tracking-number").fill("1234-5678-9012")
    seller.get_by_test_id("ship").click()
    expect(seller.get_by_test_id("state")).to_contain_text("発送済み")
    expect(seller.get_by_test_id("tracking-number-shown")).to_have_text("123456789012")
    audit(seller, "journey-07-shipped")

    # The next day at 15:00 the carrier reports the delivery; the clock now runs from it.
    clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=TOKYO))
    status, answer = carrier_delivers(browser, base, "1234-5678-9012", clock.now())
    trade = Trade.objects.get()
    assert (status, answer["recorded"], answer["trade_id"]) == (200, True, trade.pk)
    seller.reload()
    expect(seller.get_by_test_id("state")).to_contain_text("発送済み")
    expect(
        seller.get_by_test_id("banner").filter(has_text="自動で受取評価されます")
    ).to_contain_text("3月5日 13:00")
    audit(seller, "journey-08-delivered-seller")
    buyer.goto(trade_url)
    expect(buyer.get_by_test_id("banner").filter(has_text="問題を報告")).to_contain_text(
        "3月5日 13:00"
    )
    audit(buyer, "journey-09-delivered-buyer")

    # The furima policy: delivered_at + 2d@13:00. A minute before, the sweep (which may
    # send reminders) leaves receipt unrated.
    clock.set(datetime(2026, 3, 5, 12, 59, tzinfo=TOKYO))
    timers_sweep(batch_size=10)
    trade.refresh_from_db()
    assert trade.state == "shipped"
    clock.set(datetime(2026, 3, 5, 13, 0, tzinfo=TOKYO))
    assert timers_sweep(batch_size=10) >= 1
    buyer.reload()
    expect(buyer.get_by_test_id("state")).to_contain_text("出品者の評価待ち")
    expect(buyer.get_by_test_id("receipt-rated-at")).to_contain_text(re.compile(r"3月5日\s*13:00"))
    audit(buyer, "journey-10-receipt-rated-automatically")
    trade.refresh_from_db()
    assert trade.state == "awaiting_seller_rating"

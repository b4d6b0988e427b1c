"""Whole journeys in a real browser.

The seed's journey, in Japanese, under the 2016 Rakuma rules: the seller lists an item, the
buyer buys it, the seller ships, the buyer goes silent; 14 days later the seller asks the
operator, 3 days after that the engine's operator automation rates on the buyer's behalf,
the seller rates, and the sales balance shows the money. A shorter English journey runs
under furima's own policy.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from furima.trades.tasks import timers_sweep
from tests.factories import make_address, make_user

PASSWORD = "browser-passphrase-2026"


def person(username: str):
    user = make_user(username)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mypage/$"))


@pytest.fixture
def rakuma_2016(settings):
    settings.FURIMA_DEFAULT_POLICY = "rakuma-2016"


@pytest.mark.usefixtures("rakuma_2016")
def test_the_seed_journey_in_japanese(live_server, browser, clock, screenshot):
    base = live_server.url
    person("hanako")
    make_address(person("taro"))  # the buyer's address book has one: it is chosen
    seller = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
    buyer = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()

    # 出品
    log_in(seller, base, "hanako")
    seller.goto(f"{base}/items/new/")
    seller.locator("#id_title").fill("冬物コート")
    seller.locator("#id_price").fill("3000")
    seller.locator("#id_ship_within").select_option("1-2")
    screenshot(seller, "ja-01-listing-form")
    seller.locator("main form button[type=submit]").click()
    expect(seller.get_by_test_id("price")).to_have_text("3,000円")
    item_url = seller.url

    # 購入, with the confirmation step
    log_in(buyer, base, "taro")
    buyer.goto(item_url)
    buyer.get_by_test_id("buy").click()
    screenshot(buyer, "ja-02-purchase-confirmation")
    buyer.get_by_test_id("confirm-purchase").click()
    expect(buyer.get_by_test_id("state")).to_contain_text("発送待ち")
    trade_url = buyer.url

    # 発送通知
    seller.goto(trade_url)
    seller.locator("#tracking_number").fill("1234-5678-9012")
    seller.get_by_test_id("ship").click()
    expect(seller.get_by_test_id("state")).to_contain_text("発送済み")
    expect(seller.get_by_test_id("banner").first).to_contain_text("事務局に受取評価を依頼できます")
    screenshot(seller, "ja-03-shipped")

    # The buyer stays silent. Fourteen days later the seller may ask the operator.
    clock.advance(timedelta(days=14))
    seller.reload()
    seller.get_by_test_id("request_operator").click()
    seller.get_by_test_id("confirm-action").click()  # asked once more: it cannot be undone
    expect(seller.get_by_test_id("operator-request")).to_contain_text("事務局")
    screenshot(seller, "ja-04-operator-requested")

    # Three days later the operator's automation rates 良い on the buyer's behalf.
    clock.advance(timedelta(days=3))
    assert timers_sweep(batch_size=10) >= 1
    seller.reload()
    expect(seller.get_by_test_id("ratings")).to_contain_text(
        "ラクマ・カスタマーサポートより評価いたしました。"
    )
    screenshot(seller, "ja-05-proxy-rated")

    # The seller rates the buyer; the trade completes and the money is the seller's.
    seller.get_by_test_id("rate").click()
    expect(seller.get_by_test_id("confirm")).to_contain_text("評価はあとから変更できません")
    seller.get_by_test_id("confirm-action").click()
    expect(seller.get_by_test_id("state")).to_contain_text("取引完了")
    seller.goto(f"{base}/mypage/")
    expect(seller.get_by_test_id("sales-balance")).to_have_text("3,000円")
    screenshot(seller, "ja-06-mypage-balance")


def test_a_short_journey_in_english(live_server, browser, clock, screenshot):
    base = live_server.url
    person("emma")
    make_address(person("liam"))
    seller = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo").new_page()
    buyer = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo").new_page()

    log_in(seller, base, "emma")
    seller.goto(f"{base}/items/new/")
    seller.locator("#id_title").fill("Board game")
    seller.locator("#id_price").fill("2000")
    seller.get_by_role("button", name="Put on sale").click()
    item_url = seller.url

    log_in(buyer, base, "liam")
    buyer.goto(item_url)
    buyer.get_by_role("link", name="Buy this item").click()
    buyer.get_by_role("button", name="Buy").click()
    trade_url = buyer.url

    seller.goto(trade_url)
    seller.get_by_test_id("ship").click()
    expect(seller.get_by_test_id("banner").last).to_contain_text("rated automatically")

    buyer.reload()
    buyer.locator("input[name=rating][value=good]").check()
    buyer.locator("#comment").fill("Great, thanks!")
    buyer.get_by_test_id("rate").click()
    buyer.get_by_test_id("confirm-action").click()
    expect(buyer.get_by_test_id("state")).to_contain_text("Awaiting the seller's rating")
    screenshot(buyer, "en-01-receipt-rated")

    seller.goto(f"{base}/mypage/")
    expect(seller.get_by_test_id("sales-balance")).to_have_text("¥1,900")  # furima: 5% fee
    screenshot(seller, "en-02-mypage-balance")

"""Cancellation by mutual agreement in the browser (issue 13, point 8; CONTRACT.md's
`request_cancel` / `accept_cancel` / `decline_cancel`): either party asks with a reason, the
other sees who asked and why on their own screen and agrees (after a confirmation) or
declines; both screens then say what happened. At 1280 px and 390 px, with JavaScript (htmx
swaps the panel) and without (plain form posts); every state passes `audit`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.audit import WIDTHS, audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_trade

pytestmark = pytest.mark.usefixtures("clock")
REASON = "住所を間違えて購入してしまいました。"


def trade_page(browser, base, trade, user, *, width, javascript=True):
    page = sign_in(open_page(browser, width=width, javascript=javascript), base, user)
    page.goto(f"{base}/trades/{trade.pk}/")
    return page


def _buyer_asks(browser, base, trade, *, width, javascript):
    buyer = trade_page(browser, base, trade, trade.buyer, width=width, javascript=javascript)
    buyer.locator("#cancel-request-reason").fill(REASON)
    buyer.get_by_test_id("request_cancel").click()
    asked = buyer.get_by_test_id("cancel-request")
    expect(asked).to_contain_text(REASON)
    expect(asked).to_contain_text("相手の返事を待っています")
    expect(buyer.get_by_test_id("accept_cancel")).to_have_count(0)  # not theirs to answer
    return buyer


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_buyer_asks_to_cancel_and_the_seller_agrees(live_server, browser, width, javascript):
    trade = make_trade("awaiting_shipment", price=3300)
    base = live_server.url
    buyer = _buyer_asks(browser, base, trade, width=width, javascript=javascript)
    audit(buyer, f"mutual-cancel-asked-buyer-{'js' if javascript else 'nojs'}")

    seller = trade_page(browser, base, trade, trade.seller, width=width, javascript=javascript)
    request = seller.get_by_test_id("cancel-request")
    expect(request).to_contain_text(REASON)
    expect(request).to_contain_text("購入者に3,300円が返金されます")
    expect(seller.get_by_test_id("cancel-answer")).to_contain_text("同意しますか")
    audit(seller, f"mutual-cancel-asked-seller-{'js' if javascript else 'nojs'}")
    seller.get_by_test_id("accept_cancel").click()
    expect(seller.get_by_test_id("confirm")).to_be_visible()
    seller.get_by_test_id("confirm-action").click()
    expect(seller.get_by_test_id("cancelled")).to_contain_text("あなたがキャンセルに同意しました")
    audit(seller, f"mutual-cancel-done-seller-{'js' if javascript else 'nojs'}")

    buyer.reload()
    expect(buyer.get_by_test_id("cancelled")).to_contain_text("キャンセルに同意しました")
    expect(buyer.get_by_test_id("cancel-reason")).to_contain_text(REASON)
    expect(buyer.get_by_test_id("refund")).to_contain_text("3,300円")
    audit(buyer, f"mutual-cancel-done-buyer-{'js' if javascript else 'nojs'}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_seller_declines_and_the_trade_goes_on_on_both_screens(live_server, browser, width):
    trade = make_trade("awaiting_shipment", price=3300)
    base = live_server.url
    buyer = _buyer_asks(browser, base, trade, width=width, javascript=True)
    seller = trade_page(browser, base, trade, trade.seller, width=width)
    seller.get_by_test_id("decline_cancel").click()
    expect(seller.get_by_test_id("cancel-answer")).to_have_count(0)
    expect(seller.get_by_test_id("cancel-request")).to_have_count(0)
    expect(seller.get_by_test_id("timeline")).to_contain_text("キャンセルを断りました")
    expect(seller.get_by_test_id("ship")).to_be_visible()  # the trade goes on: ship it
    audit(seller, "mutual-cancel-declined-seller")
    buyer.reload()
    expect(buyer.get_by_test_id("cancel-request")).to_have_count(0)
    expect(buyer.get_by_test_id("timeline")).to_contain_text("キャンセルを断りました")
    expect(buyer.get_by_test_id("cancelled")).to_have_count(0)
    audit(buyer, "mutual-cancel-declined-buyer")

"""Photos and search in chromium on a 390 px phone: a seller lists an item with two photos
(previewed before sending), the item page shows them upright, and a visitor finds the item
by part of a Japanese word, with its thumbnail on the card; filtered to sold items, a sold
one shows its SOLD badge. Without JavaScript the same form uploads the photos. Every state
passes `audit`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from furima.market.models import Listing
from tests import images
from tests.browser.audit import audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_trade, make_user

pytestmark = pytest.mark.usefixtures("media_root")


def payload(upload, mime: str) -> dict:
    return {"name": upload.name, "mimeType": mime, "buffer": upload.read()}


def fill_item(page, title: str) -> None:
    page.get_by_label("商品名").fill(title)
    page.get_by_label("販売価格（円）").fill("4980")
    page.get_by_label("商品の写真").set_input_files(
        [
            payload(images.jpeg_on_its_side("side.jpg"), "image/jpeg"),
            payload(images.png("box.png"), "image/png"),
        ]
    )


def test_list_with_two_photos_and_find_it_by_part_of_a_word(live_server, browser, clock):
    seller = make_user("hanako")
    page = sign_in(open_page(browser, width=390), live_server.url, seller)
    page.goto(f"{live_server.url}/items/new/")
    fill_item(page, "ワイヤレスイヤホン 白")
    preview = page.get_by_test_id("photo-preview").locator("img")
    expect(preview).to_have_count(2)
    expect(preview.first).to_have_attribute("src", re.compile(r"^data:image/jpeg"))
    audit(page, "sell-photos-previewed")
    page.get_by_role("button", name="出品する").click()
    gallery = page.get_by_test_id("gallery").locator("img")
    expect(gallery).to_have_count(2)
    size = gallery.first.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [100, 200]  # upright
    audit(page, "item-with-photos")

    visitor = open_page(browser, width=390)
    visitor.goto(f"{live_server.url}/items/")
    visitor.get_by_label("商品を検索").fill("イヤホン")
    visitor.get_by_test_id("search-submit").click()
    card = visitor.get_by_test_id("listing-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("ワイヤレスイヤホン 白")
    thumb = card.locator("img")
    expect(thumb).to_have_count(1)
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 300
    audit(visitor, "search-partial-word")


def test_a_sold_item_is_found_with_its_badge(live_server, browser, clock):
    make_trade("awaiting_shipment")  # its listing is sold
    page = open_page(browser, width=390)
    page.goto(f"{live_server.url}/items/")
    page.get_by_text("絞り込み・並び替え").click()
    page.get_by_label("販売状況").select_option("sold")
    page.get_by_role("button", name="この条件で検索").click()
    expect(page.get_by_test_id("listing-card")).to_have_count(1)
    expect(page.get_by_test_id("sold")).to_be_visible()
    audit(page, "search-sold")


def test_the_sell_form_uploads_photos_without_javascript(live_server, browser, clock):
    page = sign_in(
        open_page(browser, width=390, javascript=False), live_server.url, make_user("jiro")
    )
    page.goto(f"{live_server.url}/items/new/")
    fill_item(page, "ランタン")
    page.get_by_role("button", name="出品する").click()
    expect(page.get_by_test_id("gallery").locator("img")).to_have_count(2)
    assert Listing.objects.get().photos.count() == 2

"""Questions before buying, on a 390 px phone: a buyer asks on an item, the seller answers
(marked as the seller's), the buyer likes the item and takes the like back, and the count
follows — htmx swaps each part in place. Every state passes `audit`."""

from __future__ import annotations

from playwright.sync_api import expect

from furima.market.models import ListingComment
from tests.browser.audit import audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_listing, make_user


def test_ask_answer_and_like_on_a_phone(live_server, browser, clock):
    seller, buyer = make_user("hanako"), make_user("taro")
    listing = make_listing(seller=seller, title="ワイヤレスイヤホン")
    item_url = f"{live_server.url}/items/{listing.pk}/"

    asker = sign_in(open_page(browser, width=390), live_server.url, buyer)
    asker.goto(item_url)
    expect(asker.get_by_test_id("no-comments")).to_be_visible()
    asker.get_by_label("質問・コメント").fill("箱と説明書はありますか？")
    asker.get_by_test_id("post-comment").click()
    expect(asker.get_by_test_id("comment")).to_have_count(1)
    expect(asker.get_by_test_id("comment")).to_contain_text("箱と説明書はありますか？")
    expect(asker.get_by_label("質問・コメント")).to_have_value("")
    audit(asker, "item-question-asked")

    answerer = sign_in(open_page(browser, width=390), live_server.url, seller)
    answerer.goto(item_url)
    answerer.get_by_label("回答・コメント").fill("どちらもあります。")
    answerer.get_by_test_id("post-comment").click()
    expect(answerer.get_by_test_id("comment")).to_have_count(2)
    answer = answerer.get_by_test_id("comment").nth(1)
    expect(answer.get_by_test_id("seller-mark")).to_have_text("出品者")
    expect(answerer.get_by_test_id("like-button")).to_have_count(0)  # not on one's own item
    audit(answerer, "item-seller-answered")
    assert ListingComment.objects.filter(by_seller=True).count() == 1

    asker.reload()
    expect(asker.get_by_test_id("comment").nth(1)).to_contain_text("どちらもあります。")
    like = asker.get_by_test_id("like-button")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like.get_by_test_id("like-count")).to_have_text("0")
    like.click()
    expect(asker.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "true")
    expect(asker.get_by_test_id("like-count")).to_have_text("1")
    expect(asker.get_by_test_id("like-button")).to_be_focused()
    audit(asker, "item-liked")
    asker.get_by_test_id("like-button").click()
    expect(asker.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "false")
    expect(asker.get_by_test_id("like-count")).to_have_text("0")

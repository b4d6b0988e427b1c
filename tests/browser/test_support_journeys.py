"""Support journeys in a real browser (Japanese): the silent buyer's seller asks through
the help centre and gets a templated answer; a buyer's problem report reaches the seller and
the desk, who resolve it, and the clock resumes with the policy's grace; an anonymous
inquiry is verified by the mailed link; every desk URL is 404 for others."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from furima.notify.models import Notification
from furima.support.models import Inquiry
from furima.support.services import inquiry_create
from furima.trades.purchase import listing_purchase
from furima.trades.services import trade_act
from tests.browser.test_journeys import log_in, person
from tests.factories import make_listing
from tests.support.test_desk import desk_urls


def shipped_trade(seller, buyer, title="冬物コート"):
    listing = make_listing(seller=seller, title=title, price=3000)
    trade = listing_purchase(listing_id=listing.pk, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")
    return trade


def staff_member(username: str):
    user = person(username)
    user.is_staff = True
    user.save()
    return user


def banner(page: Page, text: str):
    """The trade screen's deadline banners that say `text`."""
    return page.get_by_test_id("banner").filter(has_text=text)


def new_page(browser) -> Page:
    return browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()


def test_a_silent_buyers_seller_asks_through_the_help_centre_and_sees_the_answer(
    live_server, browser, clock, screenshot
):
    base = live_server.url
    seller, buyer = person("hanako"), person("taro")
    staff_member("suzuki")
    trade = shipped_trade(seller, buyer)
    clock.advance(timedelta(days=2))

    page = new_page(browser)
    log_in(page, base, "hanako")
    page.goto(f"{base}/help/")
    page.get_by_role("link", name="購入者が受取評価をしてくれない").click()
    expect(page.get_by_test_id("your-trades")).to_contain_text(f"取引 #{trade.pk}")
    expect(page.get_by_test_id("your-trades")).to_contain_text(
        "3月7日 13:00 から事務局に依頼できます"
    )
    screenshot(page, "support-01-article-with-own-deadline")
    page.get_by_test_id("solved-no").click()
    expect(page.locator("#id_category")).to_have_value("buyer_trouble")
    page.locator("#id_trade").select_option(str(trade.pk))
    page.locator("#id_body").fill("発送から2日、購入者から連絡がありません。")
    page.get_by_test_id("send-inquiry").click()
    expect(page.get_by_test_id("inquiry-status")).to_have_text("受付済み")
    inquiry = Inquiry.objects.get()
    assert inquiry.trade_id == trade.pk and inquiry.user_id == seller.pk

    desk = new_page(browser)
    log_in(desk, base, "suzuki")
    desk.goto(f"{base}/support/")
    desk.get_by_test_id("inquiry-queue").get_by_role("link", name=inquiry.subject).click()
    desk.locator("#template").select_option("buyer-silent")
    desk.get_by_test_id("fill-template").click()
    body = desk.locator("#id_body")
    expect(body).to_have_value(re.compile("3月7日 13:00"))
    body.fill(body.input_value() + "\n追伸：ご不明な点はお知らせください。")
    screenshot(desk, "support-02-desk-template-filled")
    desk.get_by_test_id("send-answer").click()
    expect(desk.get_by_test_id("inquiry-status")).to_have_text("回答済み")

    page.goto(f"{base}/trades/{trade.pk}/")
    page.get_by_test_id("trade-inquiries").get_by_role("link").first.click()
    expect(page.get_by_test_id("inquiry-thread")).to_contain_text(
        "追伸：ご不明な点はお知らせください。"
    )
    expect(page.get_by_test_id("inquiry-thread")).to_contain_text("furima 事務局")
    screenshot(page, "support-03-seller-sees-answer")


def test_a_buyers_problem_report_reaches_the_seller_and_the_desk_who_resolve_it(
    live_server, browser, clock, screenshot
):
    """The report pauses the automatic receipt rating; staff resolve it eight days after
    shipping, and the clock resumes with the policy's grace (furima: the resolution's date
    + 3 days at 13:00, later than the usual shipped + 7 days at 13:00)."""
    base = live_server.url
    seller, buyer = person("hanako"), person("taro")
    staff_member("suzuki")
    trade = shipped_trade(seller, buyer)

    page = new_page(browser)
    log_in(page, base, "taro")
    page.goto(f"{base}/trades/{trade.pk}/")
    page.locator("#problem-text").fill("箱が潰れていて、中のコートが濡れていました。")
    page.get_by_test_id("report_problem").click()
    expect(page.get_by_test_id("problem-report")).to_contain_text("箱が潰れていて")
    expect(banner(page, "自動の受取評価は止まっています")).to_have_count(1)

    seller_page = new_page(browser)
    log_in(seller_page, base, "hanako")
    seller_page.goto(f"{base}/trades/{trade.pk}/")
    expect(seller_page.get_by_test_id("problem-report")).to_contain_text(
        "中のコートが濡れていました"
    )

    desk = new_page(browser)
    log_in(desk, base, "suzuki")
    desk.goto(f"{base}/support/")
    expect(desk.get_by_test_id("problem-queue")).to_contain_text("箱が潰れていて")
    desk.get_by_test_id("problem-queue").get_by_role("link").first.click()
    expect(desk.get_by_test_id("problem")).to_contain_text("中のコートが濡れていました")
    desk.locator("#template").select_option("problem-received")
    desk.get_by_test_id("fill-template").click()
    desk.get_by_test_id("send-staff-message").click()
    expect(desk.get_by_test_id("desk-timeline")).to_contain_text("suzuki")
    screenshot(desk, "support-04-desk-problem")

    seller_page.reload()
    expect(seller_page.get_by_test_id("staff-messages")).to_contain_text(
        "問題のご報告をいただきました"
    )
    expect(banner(seller_page, "自動で受取評価されます")).to_have_count(0)

    clock.advance(timedelta(days=8))  # shipped 3/2 10:00; resolved 3/10 10:00
    desk.reload()
    desk.locator("#resolve-text").fill("出品者から代替品を送ることで合意しました。")
    desk.get_by_test_id("desk-resolve_problem").click()
    expect(desk.get_by_test_id("problem")).to_contain_text("解決")
    expect(desk.get_by_test_id("desk-timeline")).to_contain_text("代替品")
    expect(desk.get_by_test_id("desk-deadlines")).to_contain_text("3月13日")
    screenshot(desk, "support-05-desk-problem-resolved")

    seller_page.reload()
    expect(banner(seller_page, "3月13日 13:00 に自動で受取評価されます")).to_have_count(1)
    page.reload()
    expect(banner(page, "止まっています")).to_have_count(0)
    expect(banner(page, "問題があれば 3月13日 13:00 までに")).to_have_count(1)
    expect(page.get_by_test_id("problem-report")).to_contain_text("3月10日 10:00 に解決")
    screenshot(page, "support-06-buyer-clock-resumed")


def test_an_anonymous_inquiry_is_verified_by_the_mailed_link_and_tied(
    live_server, browser, screenshot
):
    base = live_server.url
    owner = person("hanako")
    owner.email = "hanako@example.com"
    owner.save()

    page = new_page(browser)
    page.goto(f"{base}/help/articles/account-login/")
    page.get_by_test_id("solved-no").click()
    expect(page.locator("#id_category")).to_have_value("account")
    page.locator("#id_email").fill("hanako@example.com")
    page.locator("#id_body").fill("パスワードを忘れてログインできません。")
    page.get_by_test_id("send-inquiry").click()
    expect(page.get_by_test_id("check-mail")).to_contain_text("hanako@example.com")

    mail = Notification.objects.get(address="hanako@example.com", channel="mail")
    link = re.search(r"/help/verify/\S+/", mail.body).group(0)
    page.goto(f"{base}{link}")
    expect(page.get_by_test_id("verified")).to_contain_text("hanako")
    screenshot(page, "support-07-anonymous-verified")
    assert Inquiry.objects.get().user_id == owner.pk


def test_non_staff_get_404_on_every_desk_url(live_server, browser):
    """Every URL of the desk's URLconf (the POST-only ones too), for a trade and an inquiry
    that exist and belong to the signed-in seller."""
    base = live_server.url
    seller = person("hanako")
    trade = shipped_trade(seller, person("taro"))
    inquiry = inquiry_create(
        user=seller, category="buyer_trouble", subject="s", body="b", trade_id=trade.pk
    )
    urls = desk_urls({"trade_id": trade.pk, "inquiry_id": inquiry.pk, "payout_id": 1})
    page = new_page(browser)
    log_in(page, base, "hanako")
    for path in urls:
        response = page.goto(f"{base}{path}")
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("Django")
        expect(page.locator("body")).not_to_contain_text("ログイン")  # not the admin login

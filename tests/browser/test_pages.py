"""マイページ, the inbox, notification settings, the phone header, item cards and the policy
simulation (issue 13, points 10–11, 13–16), at 1280 px and 390 px; each state passes
`audit` (no console error, CSP included; no sideways scrolling; axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from furima.accounts.services import user_create
from furima.trades.services import trade_act
from tests.browser.audit import WIDTHS, audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_listing, make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize("width", WIDTHS)
def test_my_page_says_what_comes_next_and_the_inbox_who_did_what(live_server, browser, width):
    seller = user_create(username="hanako", display_name="はなこ", email="h@example.test")
    trade = make_trade("awaiting_shipment", seller=seller, price=3300)
    make_listing(seller=trade.buyer, title="冬物コート")
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    page = sign_in(open_page(browser, width=width), live_server.url, trade.buyer)
    page.goto(f"{live_server.url}/mypage/")
    expect(page.get_by_test_id("unread-count")).to_contain_text("1")
    expect(page.get_by_test_id("notifications")).to_contain_text("はなこさんが発送しました")
    expect(page.get_by_test_id("next-step").first).to_contain_text("受取評価をしてください")
    expect(page.get_by_test_id("on-sale")).to_contain_text("冬物コート")
    expect(page.get_by_test_id("profile-link")).to_be_visible()
    price = page.get_by_test_id("buying").locator("td.yen").first
    assert price.evaluate("e => e.getClientRects().length") == 1  # 3,300円 on one line
    audit(page, "mypage-inbox")
    page.get_by_test_id("mark-read").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)


@pytest.mark.parametrize("width", WIDTHS)
def test_notification_settings_choose_mails_and_language(live_server, browser, width):
    user = user_create(username="emma", email="emma@example.test")
    page = sign_in(open_page(browser, width=width), live_server.url, user)
    page.goto(f"{live_server.url}/mypage/notifications/")
    audit(page, "notification-settings")
    page.get_by_label("新しい取引メッセージ").uncheck()
    page.locator("#id_language").select_option("en")
    page.get_by_test_id("save-preferences").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("New trade messages")).not_to_be_checked()
    # A new device without the language cookie: the user's choice still holds after login.
    other = sign_in(open_page(browser, width=width), live_server.url, user)
    other.goto(f"{live_server.url}/mypage/")
    expect(other.locator("html")).to_have_attribute("lang", "en")


def test_on_a_phone_the_header_is_one_row_with_a_menu(live_server, browser):
    user = user_create(username="taro")
    page = sign_in(open_page(browser, width=390), live_server.url, user)
    page.goto(f"{live_server.url}/items/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 70
    expect(page.get_by_role("link", name="出品", exact=True)).to_be_hidden()
    page.get_by_text("メニュー").click()
    expect(page.get_by_role("link", name="出品", exact=True)).to_be_visible()
    audit(page, "phone-menu-open")


def test_on_a_wide_screen_the_links_show_in_a_row(live_server, browser):
    page = open_page(browser, width=1280)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="ログイン")).to_be_visible()
    expect(page.get_by_text("メニュー")).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS)
def test_item_cards_show_a_picture_place_the_price_and_sold(live_server, browser, width):
    make_listing(title="ランタン", price=3300)
    make_trade("awaiting_shipment")  # its listing is sold
    page = open_page(browser, width=width)
    page.goto(f"{live_server.url}/items/")
    cards = page.get_by_test_id("listing-card")
    expect(cards.first.locator(".thumb")).to_be_visible()
    expect(page.get_by_test_id("card-price").first).to_be_visible()
    audit(page, "item-cards")
    # underlined text only on hover, not on every line of the card
    decoration = cards.first.locator(".card-title").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert decoration == "none"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_policy_simulation_fits_a_phone_and_draws_its_chart(live_server, browser, width):
    staff = make_staff()
    page = sign_in(open_page(browser, width=width), live_server.url, staff)
    page.goto(
        f"{live_server.url}/support/simulate/?policy_a=furima%401&policy_b=rakuma-2016%401&trades=200&seed=7"
    )
    expect(page.get_by_test_id("simulation-table")).to_contain_text("中央値")
    chart = page.get_by_test_id("simulation-chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    audit(page, "simulation")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sales_statement_shows_each_sale_with_its_fee(live_server, browser, width):
    trade = make_trade("awaiting_seller_rating", price=2000)
    page = sign_in(open_page(browser, width=width), live_server.url, trade.seller)
    page.goto(f"{live_server.url}/mypage/")
    page.get_by_text("売上履歴").click()
    statement = page.get_by_test_id("statement")
    expect(statement).to_contain_text("+1,900円")
    expect(statement).to_contain_text("手数料 100円")
    audit(page, "mypage-statement")

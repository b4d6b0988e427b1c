"""The trade screen says what happened and what comes next (issue 13, points 1–7), for both
parties and staff, at 1280 px and 390 px; every state shown also passes `audit`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from furima.trades.services import trade_act
from furima.trades.tasks import timers_sweep
from tests.browser.audit import WIDTHS, audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "ランタンのガラスが割れていました。"


def trade_page(browser, base, trade, user, *, width, **options):
    page = sign_in(open_page(browser, width=width, **options), base, user)
    page.goto(f"{base}/trades/{trade.pk}/")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_problem_report_is_shown_and_the_paused_clock_explained(live_server, browser, width):
    trade = make_trade("shipped")
    trade_act(trade_id=trade.pk, user=trade.buyer, action="report_problem", text=PROBLEM)
    base = live_server.url
    for user, name, heading in (
        (trade.buyer, "buyer", "あなたが送った問題の報告"),
        (trade.seller, "seller", "購入者からの問題の報告"),
        (make_staff(), "staff", "購入者からの問題の報告"),
    ):
        page = trade_page(browser, base, trade, user, width=width)
        expect(page.get_by_test_id("problem-report")).to_contain_text(heading)
        expect(page.get_by_test_id("problem-text")).to_have_text(PROBLEM)
        paused = page.get_by_test_id("banner").first
        expect(paused).to_contain_text("自動の受取評価は止まっています")
        expect(paused).to_contain_text("3月2日 10:00")  # since when
        expect(paused).to_contain_text("解決すると再開します")  # what resumes it
        audit(page, f"trade-problem-{name}")


@pytest.mark.parametrize("width", WIDTHS)
def test_cancelling_is_confirmed_and_the_reason_and_refund_are_shown(live_server, browser, width):
    """Without JavaScript: the confirmation is a page of its own."""
    trade = make_trade("awaiting_shipment", price=3300)
    base = live_server.url
    seller = trade_page(browser, base, trade, trade.seller, width=width, javascript=False)
    seller.locator("#reason").fill("在庫がありませんでした")
    seller.get_by_test_id("cancel").click()
    confirm = seller.get_by_test_id("confirm")
    expect(confirm).to_contain_text("3,300円が返金されます")
    expect(confirm).to_contain_text("在庫がありませんでした")
    audit(seller, "trade-cancel-confirm")
    seller.get_by_test_id("confirm-action").click()
    buyer = trade_page(browser, base, trade, trade.buyer, width=width)
    cancelled = buyer.get_by_test_id("cancelled")
    expect(cancelled).to_contain_text("取引をキャンセルしました")
    expect(buyer.get_by_test_id("cancel-reason")).to_contain_text("在庫がありませんでした")
    expect(buyer.get_by_test_id("refund")).to_contain_text("3,300円")
    audit(buyer, "trade-cancelled-buyer")


@pytest.mark.parametrize("width", WIDTHS)
def test_going_back_from_a_confirmation_changes_nothing(live_server, browser, width):
    trade = make_trade("shipped")
    page = trade_page(browser, live_server.url, trade, trade.buyer, width=width)
    page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("評価はあとから変更できません")
    expect(page.get_by_test_id("confirm").get_by_role("heading")).to_be_focused()
    audit(page, "trade-rate-confirm")
    page.get_by_test_id("confirm-back").click()
    expect(page.get_by_test_id("rate")).to_be_visible()
    trade.refresh_from_db()
    assert trade.state == "shipped"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_passed_ship_by_deadline_says_so_and_what_the_buyer_may_do(
    live_server, browser, clock, width
):
    trade = make_trade("awaiting_shipment", ship_within="1-2")
    clock.advance(timedelta(days=3))  # ship_by (2 days, 23:59) has passed
    base = live_server.url
    buyer = trade_page(browser, base, trade, trade.buyer, width=width)
    banners = buyer.get_by_test_id("banner")
    expect(banners.first).to_contain_text("期限")
    expect(banners.first).to_contain_text("を過ぎています")
    expect(banners.first).not_to_contain_text("あと")
    expect(buyer.get_by_text("今すぐ取引をキャンセルして全額の返金を受けられます")).to_be_visible()
    expect(buyer.get_by_test_id("cancel")).to_be_visible()
    expect(banners.last).to_contain_text("自動")  # the automatic cancel, with its time
    audit(buyer, "trade-overdue-buyer")
    seller = trade_page(browser, base, trade, trade.seller, width=width)
    expect(seller.get_by_test_id("banner").first).to_contain_text("すぐに発送してください")
    audit(seller, "trade-overdue-seller")


@pytest.mark.parametrize("width", WIDTHS)
def test_both_sides_see_the_same_countdown(live_server, browser, clock, width):
    trade = make_trade("shipped")  # furima: receipt rated automatically at shipped + 7d@13:00
    auto = trade.shipped_at.replace(hour=4, minute=0) + timedelta(days=7)  # 13:00 JST in UTC
    clock.set(auto - timedelta(days=3))
    base = live_server.url
    for user in (trade.buyer, trade.seller):
        page = trade_page(browser, base, trade, user, width=width)
        expect(page.get_by_test_id("banner").last).to_contain_text("(あと3日)")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_proxy_rating_shows_its_date_a_readable_timeline_and_the_policy(
    live_server, browser, clock, settings, width
):
    settings.FURIMA_DEFAULT_POLICY = "rakuma-2016"
    trade = make_trade("shipped")
    clock.advance(timedelta(days=14))
    trade_act(trade_id=trade.pk, user=trade.seller, action="request_operator")
    clock.advance(timedelta(days=3, hours=2))
    assert timers_sweep(batch_size=10) >= 1
    base = live_server.url
    seller = trade_page(browser, base, trade, trade.seller, width=width)
    expect(seller.get_by_test_id("receipt-rated-at")).to_have_text("3月19日 12:00")
    timeline = seller.get_by_test_id("timeline")
    expect(timeline).to_contain_text("あなたが事務局に受取評価を依頼しました")
    expect(timeline).not_to_contain_text("出品者: 出品者")
    expect(seller.get_by_test_id("policy-link")).to_have_text("ラクマ 2016")
    audit(seller, "trade-proxy-rated")
    seller.get_by_test_id("policy-link").click()
    expect(seller.get_by_test_id("policy-rules")).to_contain_text("14日後")
    audit(seller, "policy-rakuma")

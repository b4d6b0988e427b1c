"""振込申請 in the browser (issue 13, point 12): a seller registers the bank account, reads
the fee and the minimum, requests a payout from マイページ's 売上金 card and sees it in the
history; staff mark it transferred on the desk and the seller sees that. At 1280 px and
390 px; every state passes `audit`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.audit import WIDTHS, audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_seller_requests_a_payout_and_staff_transfer_it(live_server, browser, width):
    seller = make_trade("awaiting_seller_rating", price=3000).seller  # 2,850円 after the fee
    base = live_server.url
    page = sign_in(open_page(browser, width=width), base, seller)
    page.goto(f"{base}/mypage/")
    sales = page.get_by_test_id("sales")
    expect(sales.get_by_test_id("sales-balance")).to_have_text("2,850円")
    expect(sales.get_by_test_id("payout-terms")).to_contain_text("振込手数料200円")
    expect(sales.get_by_test_id("payout-terms")).to_contain_text("1,000円（手数料込み）")
    sales.get_by_test_id("bank-missing").get_by_role("link").click()

    page.get_by_label("銀行名").fill("みずほ銀行")
    page.get_by_label("支店名").fill("渋谷支店")
    page.get_by_label("口座番号").fill("1234567")
    page.get_by_label("口座名義").fill("ﾔﾏﾀﾞ ﾊﾅｺ")
    audit(page, "payout-bank-account")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("bank-account")).to_contain_text("••••567 ヤマダ ハナコ")
    amount = page.get_by_label("申請額")
    amount.fill("5000")
    page.get_by_test_id("payout-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("申請できる金額を超えています")
    audit(page, "payout-refused", refused=True)
    page.console_errors.clear()  # the 409's own console line, audited above as a refusal
    page.get_by_label("申請額").fill("2000")
    page.get_by_test_id("payout-submit").click()
    expect(page.get_by_text("振込申請を受け付けました")).to_be_visible()
    expect(page.get_by_test_id("sales-balance")).to_have_text("850円")
    history = page.get_by_test_id("payout-history")
    expect(history).to_contain_text("申請中")
    expect(history).to_contain_text("1,800円")
    expect(page.get_by_test_id("payout-not-yet")).to_contain_text("1,000円から")
    audit(page, "payout-requested")

    desk = sign_in(open_page(browser, width=width), base, make_staff())
    desk.goto(f"{base}/support/")
    desk.get_by_test_id("desk-payouts").click()
    row = desk.get_by_test_id("payout-row")
    expect(row).to_contain_text("みずほ銀行 渋谷支店")
    expect(row).to_contain_text("1234567")
    audit(desk, "payout-desk-queue")
    row.get_by_test_id("payout-paid").click()
    expect(desk.get_by_test_id("payouts-decided")).to_contain_text("振込済み")
    expect(desk.get_by_test_id("payout-row")).to_have_count(0)

    page.reload()
    expect(page.get_by_test_id("payout-history")).to_contain_text("振込済み")
    audit(page, "payout-paid")

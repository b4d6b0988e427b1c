"""Failed actions and accessibility (issue 13, points 17–19), at 1280 px and 390 px.

A refused trade action is shown and announced with JavaScript (htmx swaps the 4xx panel in
and moves focus to the alert) and without it (the server's whole page carries the same
alert); after an accepted action focus lands on the new state and a polite live region
repeats it. Every page here also passes `audit`: no console error, no sideways scrolling,
no serious or critical axe-core violation.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from furima.trades.models import Trade
from tests.browser.audit import WIDTHS, audit, open_page
from tests.browser.people import sign_in
from tests.factories import make_listing, make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_blank_problem_report_is_refused_visibly(live_server, browser, width, javascript):
    trade = make_trade("shipped")
    page = open_page(browser, width=width, javascript=javascript)
    sign_in(page, live_server.url, trade.buyer)
    page.goto(f"{live_server.url}/trades/{trade.pk}/")
    page.get_by_test_id("report_problem").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("入力内容")
    if javascript:  # the panel was swapped in place and focus moved to the refusal
        expect(page.get_by_test_id("error")).to_be_focused()
    audit(page, f"a11y-refused-{'js' if javascript else 'nojs'}", refused=True)
    assert Trade.objects.get(pk=trade.pk).problem_reported_at is None


@pytest.mark.parametrize("width", WIDTHS)
def test_after_an_action_focus_moves_to_the_new_state_and_it_is_announced(
    live_server, browser, width
):
    trade = make_trade("shipped")
    page = sign_in(open_page(browser, width=width), live_server.url, trade.buyer)
    page.goto(f"{live_server.url}/trades/{trade.pk}/")
    page.locator("#message-text").fill("届きました。ありがとうございます。")
    page.get_by_test_id("send-message").click()
    state = page.get_by_test_id("state")
    expect(state).to_be_focused()
    expect(state).to_contain_text("あなたがメッセージを送りました")
    expect(page.locator("#live-status")).to_contain_text("あなたがメッセージを送りました")
    audit(page, "a11y-after-action")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_tab_reaches_a_skip_link_to_the_content(live_server, browser, width):
    make_listing(title="ランタン")
    page = open_page(browser, width=width)
    page.goto(f"{live_server.url}/items/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    audit(page, "a11y-items")


@pytest.mark.parametrize("width", WIDTHS)
def test_login_errors_are_announced_and_tied_to_the_fields(live_server, browser, width):
    make_user("hanako")
    page = open_page(browser, width=width)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("hanako")
    page.locator("#id_password").fill("wrong password")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_password")).to_have_attribute("aria-describedby", "login-errors")
    audit(page, "a11y-login-error")


@pytest.mark.parametrize("width", WIDTHS)
def test_japanese_titles_on_english_pages_are_marked_japanese(live_server, browser, width):
    make_listing(title="冬物コート")
    make_listing(title="Board game")
    page = open_page(browser, width=width, locale="en-US")
    page.goto(f"{live_server.url}/items/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('[lang="ja"]', has_text="冬物コート")).to_have_count(1)
    expect(page.locator('[lang="ja"]', has_text="Board game")).to_have_count(0)
    audit(page, "a11y-items-en")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_demo_clock_sits_in_a_landmark(live_server, browser, width, settings):
    settings.FURIMA_DEMO = True
    staff = make_staff()
    page = sign_in(open_page(browser, width=width), live_server.url, staff)
    page.goto(f"{live_server.url}/")
    expect(page.locator("aside form.demo-clock")).to_be_visible()
    audit(page, "a11y-demo-clock")


def test_buttons_meet_the_contrast_minimum(live_server, browser):
    """White on the brand button colour is at least 4.5:1 (WCAG AA for normal text)."""
    page = open_page(browser, width=1280)
    page.goto(f"{live_server.url}/accounts/login/")
    ratio = page.evaluate(
        """() => {
            const rgb = s => s.match(/\\d+/g).slice(0, 3).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255;
                return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
                .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
            const button = document.querySelector("main button.btn");
            const style = getComputedStyle(button);
            const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }"""
    )
    assert ratio >= 4.5

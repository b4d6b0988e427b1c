"""The trade screen: only the parties (and staff) see it, it offers exactly the actions the
engine allows, every bad input is refused with a clear message, and htmx swaps the same
markup a full reload shows."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from furima.trades.models import Message, Trade
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


def act(client, trade, **data):
    return client.post(f"/trades/{trade.pk}/act/", data)


def panel(html: str) -> str:
    """The trade panel's markup, without the per-request CSRF tokens."""
    start = html.index('<div id="trade-panel"')
    stop = html.index("</main>") if "</main>" in html else len(html)
    end = html.rindex("</div>", start, stop) + len("</div>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html[start:end])


def test_a_stranger_gets_404_for_someone_elses_trade(db):
    trade = make_trade("shipped")
    stranger = signed_in(make_user())
    assert stranger.get(f"/trades/{trade.pk}/").status_code == 404
    response = act(stranger, trade, action="message", text="hello")
    assert response.status_code == 404
    assert not Message.objects.filter(trade=trade).exists()


def test_an_unknown_trade_is_404(db):
    assert signed_in(make_user()).get("/trades/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(db):
    trade = make_trade()
    response = Client().get(f"/trades/{trade.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_see_any_trade_as_the_operator(db):
    trade = make_trade("shipped")
    response = signed_in(make_staff()).get(f"/trades/{trade.pk}/")
    assert response.status_code == 200
    assert response.context["actor"] == "operator"


def test_the_seller_is_offered_shipping_and_the_buyer_is_not(db):
    trade = make_trade()
    seller_page = signed_in(trade.seller).get(f"/trades/{trade.pk}/")
    buyer_page = signed_in(trade.buyer).get(f"/trades/{trade.pk}/")
    assert 'data-testid="ship"' in seller_page.content.decode()
    assert 'data-testid="ship"' not in buyer_page.content.decode()


def test_the_seller_ships_with_a_plain_form_post(db):
    trade = make_trade()
    response = act(signed_in(trade.seller), trade, action="ship", tracking_number="9999-0000")
    assert response.status_code == 302
    trade.refresh_from_db()
    assert (trade.state, trade.tracking_number) == ("shipped", "99990000")  # normalised


def test_the_banner_says_when_the_operator_can_be_asked(db, clock, settings):
    settings.LANGUAGE_CODE = "ja"
    trade = make_trade("shipped")  # furima: 13:00 five days after shipping
    page = signed_in(trade.seller).get(f"/trades/{trade.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    html = page.content.decode()
    assert "3月7日 13:00" in html
    assert "事務局" in html


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"action": "rate", "rating": "excellent"}, 400),
        ({"action": "rate"}, 400),
        ({"action": "message", "text": "   "}, 400),
        ({"action": "message", "text": "x" * 2001}, 400),
        ({"action": "teleport"}, 400),
        ({"action": "ship"}, 403),
        ({"action": "request_operator"}, 409),  # too_early: the one map says 409
        ({"action": "proxy_rate"}, 403),
    ],
)
def test_bad_actions_are_refused_with_a_message_and_change_nothing(db, data, status):
    trade = make_trade("shipped")
    before = Trade.objects.get(pk=trade.pk).revision
    response = act(
        signed_in(trade.buyer if data["action"] != "request_operator" else trade.seller),
        trade,
        **data,
    )
    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()
    assert Trade.objects.get(pk=trade.pk).revision == before


def test_message_text_is_escaped(db):
    trade = make_trade("shipped")
    buyer = signed_in(trade.buyer)
    act(buyer, trade, action="message", text="<script>alert(1)</script>")
    html = buyer.get(f"/trades/{trade.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_htmx_action_swaps_in_the_same_panel_a_reload_shows(db):
    trade = make_trade("shipped")
    buyer = signed_in(trade.buyer)
    partial = buyer.post(
        f"/trades/{trade.pk}/act/",
        {"action": "message", "text": "届きました"},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    reload = buyer.get(f"/trades/{trade.pk}/")
    assert panel(partial.content.decode()) == panel(reload.content.decode())


def test_forms_need_a_csrf_token(db):
    trade = make_trade("shipped")
    client = Client(enforce_csrf_checks=True)
    client.force_login(trade.buyer)
    assert act(client, trade, action="message", text="hi").status_code == 403


def test_the_seller_sees_the_money_on_my_page_after_the_receipt_rating(db, clock):
    trade = make_trade("awaiting_seller_rating", price=2000)  # furima releases on receipt
    html = signed_in(trade.seller).get("/mypage/").content.decode()
    assert re.search(r'data-testid="sales-balance">[^<]*1,900', html)


def test_the_deadline_countdown_follows_the_furima_clock(db, clock):
    trade = make_trade("shipped")
    clock.advance(timedelta(days=4))
    html = (
        signed_in(trade.buyer)
        .get(f"/trades/{trade.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "3 days left" in html or "3日" in html

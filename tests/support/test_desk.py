"""The staff desk: staff only (404 for everyone else, on every URL); queues ordered by when
an answer is owed; a trade with everything; one-click operator actions through the trade
service, logged with the staff member's name; messages from 事務局 with filled templates."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from furima.ledger.selectors import trade_escrow_balance
from furima.support import urls as support_urls
from furima.support.services import inquiry_create
from furima.trades.models import Trade, TradeEvent
from furima.trades.services import trade_act
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


def desk_urls(ids: dict[str, int]) -> list[str]:
    """Every URL the desk serves (read from its URLconf, so a new desk page is covered the
    day it is added), with `ids` for the path's parameters (`trade_id`, `inquiry_id`,
    `payout_id`)."""
    urls = []
    for pattern in support_urls.urlpatterns:
        params = {name: ids[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"support:{pattern.name}", kwargs=params))
    return urls


def _ask(user, trade=None, subject="受取評価がありません"):
    return inquiry_create(
        user=user,
        category="buyer_trouble",
        subject=subject,
        body="助けてください",
        trade_id=trade.pk if trade else None,
    )


def test_everyone_but_staff_gets_404_on_every_desk_url(db, clock):
    trade = make_trade("awaiting_shipment")
    inquiry = _ask(trade.seller, trade)
    Trade.objects.filter(pk=trade.pk).update(timer_failures=1, timer_last_error="boom")
    urls = desk_urls({"trade_id": trade.pk, "inquiry_id": inquiry.pk, "payout_id": 1})
    assert len(urls) == len(set(urls)) >= 9
    assert "/support/" in urls and f"/support/trades/{trade.pk}/retry-timer/" in urls
    revision = Trade.objects.get(pk=trade.pk).revision
    for client in (Client(), signed_in(make_user()), signed_in(trade.seller)):
        for url in urls:
            assert client.get(url).status_code == 404, url
            data = {"action": "proxy_rate", "text": "x", "to": "both", "body": "x"}
            assert client.post(url, data).status_code == 404, url
    assert Trade.objects.get(pk=trade.pk).revision == revision
    inquiry.refresh_from_db()
    assert inquiry.messages.count() == 1 and inquiry.status == "received"
    staff = signed_in(make_staff())
    assert all(staff.get(url).status_code in (200, 405) for url in urls)


def test_the_inquiry_queue_is_ordered_by_sla_due_time(db, clock):
    late = _ask(make_user(), subject="先")
    clock.advance(timedelta(hours=1))
    soon = _ask(make_user(), subject="後")
    answered = _ask(make_user(), subject="回答済み")
    staff = make_staff()
    signed_in(staff).post(f"/support/inquiries/{answered.pk}/reply/", {"body": "回答です"})
    response = signed_in(staff).get("/support/")
    assert [i.pk for i in response.context["queues"].inquiries.rows] == [late.pk, soon.pk]


def test_operator_requests_and_problem_reports_have_their_queues(db, clock):
    asked = make_trade("shipped")
    reported = make_trade("shipped")
    make_trade("shipped")  # nobody waiting on the operator
    trade_act(trade_id=reported.pk, user=reported.buyer, action="report_problem", text="破損")
    clock.advance(timedelta(days=6))
    trade_act(trade_id=asked.pk, user=asked.seller, action="request_operator")
    response = signed_in(make_staff()).get("/support/")
    assert [r["trade"].pk for r in response.context["queues"].requests.rows] == [asked.pk]
    assert [t.pk for t in response.context["queues"].problems.rows] == [reported.pk]
    assert "破損" in response.content.decode()


def test_the_trade_view_shows_everything(db):
    trade = make_trade("shipped")
    trade_act(trade_id=trade.pk, user=trade.seller, action="message", text="発送しました")
    trade_act(trade_id=trade.pk, user=trade.buyer, action="report_problem", text="箱が潰れていた")
    inquiry = _ask(trade.buyer, trade, subject="箱について")
    page = signed_in(make_staff()).get(f"/support/trades/{trade.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("箱が潰れていた", "発送しました", "箱について", f"#{inquiry.pk}"):
        assert expected in html
    assert len(page.context["events"]) == 4
    assert [p.kind for p in page.context["postings"]] == ["purchase"]


def test_staff_proxy_rate_in_one_click_and_the_log_names_them(db, clock):
    trade = make_trade("shipped")
    clock.advance(timedelta(days=6))
    trade_act(trade_id=trade.pk, user=trade.seller, action="request_operator")
    staff = make_staff("suzuki")
    response = signed_in(staff).post(f"/support/trades/{trade.pk}/act/", {"action": "proxy_rate"})
    assert response.status_code == 302
    trade.refresh_from_db()
    assert trade.state == "awaiting_seller_rating"
    event = TradeEvent.objects.get(trade=trade, action="proxy_rate")
    assert event.actor == "operator" and event.user == staff
    assert "suzuki" in signed_in(staff).get(f"/support/trades/{trade.pk}/").content.decode()


def test_staff_cancel_with_refund(db):
    trade = make_trade("shipped")
    staff = make_staff()
    response = signed_in(staff).post(
        f"/support/trades/{trade.pk}/act/", {"action": "cancel", "text": "商品未着のため"}
    )
    assert response.status_code == 302
    trade.refresh_from_db()
    assert trade.state == "cancelled"
    assert trade_escrow_balance(trade_id=trade.pk) == 0
    assert TradeEvent.objects.get(trade=trade, action="cancel").user == staff


def test_an_action_the_engine_refuses_changes_nothing(db):
    trade = make_trade("shipped")  # no request, no report: nothing to proxy-rate
    response = signed_in(make_staff()).post(
        f"/support/trades/{trade.pk}/act/", {"action": "proxy_rate"}
    )
    assert response.status_code == 409
    trade.refresh_from_db()
    assert trade.state == "shipped"


def test_a_message_to_the_buyer_is_shown_to_the_buyer_only_as_from_support(db):
    trade = make_trade("shipped")
    trade.buyer.email = "buyer@example.com"
    trade.buyer.save()
    staff = make_staff()
    response = signed_in(staff).post(
        f"/support/trades/{trade.pk}/message/",
        {"to": "buyer", "text": "お荷物の到着をご確認ください"},
    )
    assert response.status_code == 302
    event = TradeEvent.objects.get(trade=trade, action="staff_message")
    assert event.user == staff and event.notify == ["buyer"]
    buyer_page = signed_in(trade.buyer).get(f"/trades/{trade.pk}/").content.decode()
    seller_page = signed_in(trade.seller).get(f"/trades/{trade.pk}/").content.decode()
    assert "お荷物の到着をご確認ください" in buyer_page and "事務局" in buyer_page
    assert "お荷物の到着をご確認ください" not in seller_page
    assert trade.notifications.filter(recipient=trade.buyer, event=event).exists()


def test_a_reply_template_is_filled_with_the_trades_data(db, clock):
    trade = make_trade("shipped", price=4800)
    staff = make_staff()
    page = signed_in(staff).get(
        f"/support/trades/{trade.pk}/", {"template": "remind-buyer", "to": "buyer"}
    )
    text = page.context["message_form"].initial["text"]
    assert str(trade.buyer) in text and f"#{trade.pk}" in text
    assert trade.listing.title in text
    assert "3月2日 10:00" in text  # shipped at TEST_START
    assert "{" not in text


def test_an_inquiry_answered_with_a_template_reaches_the_person(db, clock):
    trade = make_trade("shipped")
    clock.advance(timedelta(days=1))
    inquiry = _ask(trade.seller, trade)
    staff = make_staff()
    page = signed_in(staff).get(f"/support/inquiries/{inquiry.pk}/", {"template": "buyer-silent"})
    text = page.context["form"].initial["body"]
    assert "3月7日 13:00" in text  # furima: the seller may ask the operator from shipped + 5d@13:00
    signed_in(staff).post(f"/support/inquiries/{inquiry.pk}/reply/", {"body": text})
    mine = signed_in(trade.seller).get(f"/help/inquiries/{inquiry.pk}/")
    assert "3月7日 13:00" in mine.content.decode()
    assert mine.context["inquiry"].status == "answered"


def test_the_simulation_compares_two_policies(db):
    response = signed_in(make_staff()).get(
        "/support/simulate/",
        {"policy_a": "rakuma-2016@1", "policy_b": "furima@1", "trades": 200, "seed": 7},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result["policies"] == ["rakuma-2016@1", "furima@1"]
    assert all(len(values) == 2 for _, values in result["rows"])
    assert result["chart"].startswith("data:image/png;base64,")
    html = response.content.decode()
    assert "style=" not in html  # the site's CSP refuses inline styles
    assert "中央値" in html  # the table speaks the page's language
    assert ".toml" not in html and "/work/" not in html  # no server path


def test_the_simulation_form_compares_two_different_policies_by_default(db):
    form = signed_in(make_staff()).get("/support/simulate/").context["form"]
    assert form["policy_a"].value() != form["policy_b"].value()


def test_the_simulation_refuses_too_many_trades(db):
    response = signed_in(make_staff()).get(
        "/support/simulate/",
        {"policy_a": "furima@1", "policy_b": "furima@1", "trades": 10**7, "seed": 1},
    )
    assert response.status_code == 400
    assert "trades" in response.context["form"].errors

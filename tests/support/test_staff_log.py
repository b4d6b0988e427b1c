"""Every staff action is in the trade's event log with the staff member's name — answering
or taking an inquiry about the trade included — and the desk's own notes stay with staff:
the parties see neither them nor support's messages to the other side, on the trade screen
or through the API."""

from __future__ import annotations

import pytest

from furima.support.services import inquiry_create, inquiry_reply, inquiry_set_status
from furima.trades.errors import ForbiddenActor
from furima.trades.models import TradeEvent
from furima.trades.services import trade_staff_message
from tests.clients import signed_in
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


def _ask(user, trade=None):
    return inquiry_create(
        user=user,
        category="buyer_trouble",
        subject="受取評価がありません",
        body="助けてください",
        trade_id=trade.pk if trade else None,
    )


def test_answering_an_inquiry_about_a_trade_is_in_the_trades_log_with_the_staff_name(db):
    trade = make_trade("shipped")
    inquiry = _ask(trade.seller, trade)
    staff = make_staff("tanaka")

    response = signed_in(staff).post(
        f"/support/inquiries/{inquiry.pk}/reply/", {"body": "確認いたします"}
    )

    assert response.status_code == 302
    event = TradeEvent.objects.get(trade=trade, action="staff_inquiry_answer")
    assert event.actor == "operator" and event.user == staff
    assert event.data == {"inquiry": inquiry.pk, "subject": inquiry.subject, "staff": "tanaka"}
    assert event.notify == []
    timeline = signed_in(staff).get(f"/support/trades/{trade.pk}/").content.decode()
    assert "tanaka" in timeline and f'href="/support/inquiries/{inquiry.pk}/"' in timeline


def test_taking_and_closing_an_inquiry_about_a_trade_are_logged_too(db):
    trade = make_trade("shipped")
    inquiry = _ask(trade.buyer, trade)
    staff = make_staff()

    inquiry_set_status(inquiry_id=inquiry.pk, user=staff, status="in_progress")
    inquiry_set_status(inquiry_id=inquiry.pk, user=staff, status="closed")

    events = TradeEvent.objects.filter(trade=trade, action="staff_inquiry_status").order_by("seq")
    assert [(e.data["status"], e.user) for e in events] == [
        ("in_progress", staff),
        ("closed", staff),
    ]


def test_an_inquiry_without_a_trade_and_the_persons_own_replies_log_nothing(db):
    trade = make_trade("shipped")
    inquiry = _ask(trade.seller, trade)
    before = TradeEvent.objects.filter(trade=trade).count()

    inquiry_reply(inquiry_id=inquiry.pk, user=trade.seller, body="追記です")
    inquiry_reply(inquiry_id=_ask(trade.seller).pk, user=make_staff(), body="回答です")

    assert TradeEvent.objects.filter(trade=trade).count() == before


def test_staff_who_are_party_to_the_trade_cannot_answer_its_inquiry(db):
    staff_seller = make_staff()
    trade = make_trade("shipped", seller=staff_seller)
    inquiry = _ask(trade.buyer, trade)

    with pytest.raises(ForbiddenActor):
        inquiry_reply(inquiry_id=inquiry.pk, user=staff_seller, body="私が出品者です")

    inquiry.refresh_from_db()
    assert inquiry.status == "received" and inquiry.messages.count() == 1
    assert not TradeEvent.objects.filter(trade=trade, actor="operator").exists()


def test_the_parties_do_not_see_the_desks_notes_on_the_trade_screen(db):
    trade = make_trade("shipped")
    inquiry = _ask(trade.seller, trade)
    inquiry_reply(inquiry_id=inquiry.pk, user=make_staff("tanaka"), body="確認いたします")

    for party in (trade.buyer, trade.seller):
        page = signed_in(party).get(f"/trades/{trade.pk}/")
        lines = [line.text for line in page.context["timeline"]]
        assert not any("問い合わせ" in line for line in lines), lines
    staff_page = signed_in(make_staff()).get(f"/trades/{trade.pk}/")
    assert any("問い合わせ" in line.text for line in staff_page.context["timeline"])


def test_the_api_log_hides_desk_notes_and_support_messages_to_the_other_side(db):
    trade = make_trade("shipped")
    staff = make_staff()
    inquiry_reply(inquiry_id=_ask(trade.seller, trade).pk, user=staff, body="確認いたします")
    trade_staff_message(trade_id=trade.pk, user=staff, to="buyer", text="到着をご確認ください")
    trade_staff_message(trade_id=trade.pk, user=staff, to="both", text="お二人へ")

    def actions(user):
        response = signed_in(user).get(f"/api/v1/trades/{trade.pk}/events")
        assert response.status_code == 200
        return [(e["action"], e["data"].get("to")) for e in response.json()]

    staff_sees = actions(staff)
    assert ("staff_inquiry_answer", None) in staff_sees
    assert ("staff_message", "buyer") in staff_sees
    buyer_sees, seller_sees = actions(trade.buyer), actions(trade.seller)
    assert ("staff_message", "buyer") in buyer_sees
    assert ("staff_message", "buyer") not in seller_sees
    assert ("staff_message", "both") in buyer_sees and ("staff_message", "both") in seller_sees
    assert not any(a == "staff_inquiry_answer" for a, _ in buyer_sees + seller_sees)

"""The additions' trade actions over HTTP (CONTRACT.md "Additions"): `resolve_problem`
(staff as the operator, or the buyer withdrawing), `request_cancel` with a `reason`, and the
other party's `accept_cancel` / `decline_cancel`; the worker lets an unanswered request
lapse when the policy's window passes."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from furima.accounts.services import api_token_create
from furima.ledger.selectors import trade_escrow_balance
from furima.trades.ledger_checks import ledger_invariant_violations
from furima.trades.models import Trade, TradeEvent
from furima.trades.services import timers_apply_due
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


def act(user, trade, body):
    client = Client()
    token = api_token_create(user=user)
    return client.post(
        f"/api/v1/trades/{trade.pk}/actions",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def reported_trade():
    trade = make_trade("shipped")
    response = act(trade.buyer, trade, {"action": "report_problem", "text": "破損していました"})
    assert response.status_code == 200
    return trade


def test_staff_resolve_a_problem_and_the_clock_resumes_with_the_grace(db, clock):
    trade = reported_trade()
    staff = make_staff()

    response = act(staff, trade, {"action": "resolve_problem", "actor": "operator", "text": "済"})

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "shipped"
    assert body["deadlines"]["auto_complete_at"] is not None
    event = TradeEvent.objects.filter(trade=trade).latest("seq")
    assert (event.action, event.actor, event.user_id) == ("resolve_problem", "operator", staff.pk)
    assert event.data == {"text": "済", "withdrawn": False}
    trade.refresh_from_db()
    assert trade.problem_resolved_at == clock.now()
    assert trade.problem_closed_at == clock.now()


def test_the_buyer_withdraws_their_own_report(db):
    trade = reported_trade()

    response = act(trade.buyer, trade, {"action": "resolve_problem", "text": "届きました"})

    assert response.status_code == 200
    assert "report_problem" in response.json()["actions"]


def test_the_seller_cannot_resolve_the_buyers_report(db):
    trade = reported_trade()

    response = act(trade.seller, trade, {"action": "resolve_problem"})

    assert response.status_code in (403, 409)
    assert response.json()["error"] == "forbidden_actor"


def test_a_cancellation_asked_and_accepted_refunds_the_buyer(db):
    trade = make_trade("shipped", price=4800)

    asked = act(trade.buyer, trade, {"action": "request_cancel", "reason": "誤って購入しました"})
    assert asked.status_code == 200
    assert "request_cancel" not in asked.json()["actions"]
    seller_view = act(trade.seller, trade, {"action": "message", "text": "確認します"}).json()
    assert {"accept_cancel", "decline_cancel"} <= set(seller_view["actions"])

    accepted = act(trade.seller, trade, {"action": "accept_cancel"})

    assert accepted.status_code == 200
    assert accepted.json()["state"] == "cancelled"
    assert trade_escrow_balance(trade_id=trade.pk) == 0
    assert ledger_invariant_violations() == []
    trade.refresh_from_db()
    assert (trade.cancel_requested_by, trade.cancel_request_reason) == ("", "")


def test_a_request_without_a_reason_is_refused_and_writes_nothing(db):
    trade = make_trade("awaiting_shipment")
    events = TradeEvent.objects.filter(trade=trade).count()

    response = act(trade.buyer, trade, {"action": "request_cancel"})

    assert 400 <= response.status_code < 500
    assert response.json()["error"] == "invalid_input"
    assert TradeEvent.objects.filter(trade=trade).count() == events


def test_a_declined_request_leaves_the_trade_as_it_was(db):
    trade = make_trade("awaiting_shipment")
    act(trade.seller, trade, {"action": "request_cancel", "reason": "在庫切れ"})

    response = act(trade.buyer, trade, {"action": "decline_cancel"})

    assert response.status_code == 200
    assert response.json()["state"] == "awaiting_shipment"
    trade.refresh_from_db()
    assert trade.cancel_requested_by == ""
    assert trade_escrow_balance(trade_id=trade.pk) == trade.price


def test_the_worker_lets_an_unanswered_request_lapse_when_the_window_passes(db, clock):
    trade = make_trade("shipped")
    act(trade.seller, trade, {"action": "request_cancel", "reason": "在庫切れ"})
    trade.refresh_from_db()
    assert trade.cancel_requested_by == "seller"
    window_ends = trade.cancel_requested_at + timedelta(days=3)
    assert trade.next_timer_at <= window_ends  # a reminder may come first

    clock.set(window_ends)
    while timers_apply_due(batch_size=10).claimed:
        pass

    lapsed = TradeEvent.objects.get(trade=trade, action="decline_cancel")
    assert (lapsed.actor, lapsed.due_at, lapsed.data["expired"]) == ("system", window_ends, True)
    trade = Trade.objects.get(pk=trade.pk)
    assert (trade.state, trade.cancel_requested_by) == ("shipped", "")

"""One action, one read of the trade: `trade_act` locks and reads the trade row, settles who
the user acts as, and hands both back; the web page and the API render from that instead of
reading the trade and working out the actor again."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from furima.accounts.services import api_token_create
from furima.process import Actor
from furima.trades.models import Trade, TradeEvent
from furima.trades.services import trade_act
from tests.clients import signed_in
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


def trade_row_reads(queries) -> list[str]:
    """The SELECTs whose main table is the trade table (joins from other tables excluded)."""
    table = Trade._meta.db_table
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"].split(" WHERE ")[0]
    ]


def test_the_service_returns_the_trade_as_the_step_left_it_and_the_actor(db):
    trade = make_trade("awaiting_shipment")

    result = trade_act(trade_id=trade.pk, user=trade.seller, action="ship")

    assert result.actor is Actor.SELLER
    assert (result.trade.pk, result.trade.state) == (trade.pk, "shipped")
    assert result.trade.revision == Trade.objects.get(pk=trade.pk).revision
    with CaptureQueriesContext(connection) as queries:  # listing and parties came with it
        _ = (result.trade.listing.title, result.trade.buyer.username, result.trade.seller.pk)
    assert len(queries) == 0


def test_staff_who_are_not_a_party_act_as_the_operator_by_default(db):
    trade = make_trade("shipped")
    staff = make_staff()

    result = trade_act(trade_id=trade.pk, user=staff, action="cancel", reason="事務局判断")

    assert result.actor is Actor.OPERATOR
    assert TradeEvent.objects.filter(trade=trade).latest("seq").actor == "operator"


def test_an_api_action_reads_the_trade_once(db):
    trade = make_trade("shipped")
    client = Client()
    headers = {"Authorization": f"Bearer {api_token_create(user=trade.buyer)}"}

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/trades/{trade.pk}/actions",
            json.dumps({"action": "message", "text": "届きました"}),
            content_type="application/json",
            headers=headers,
        )

    assert response.status_code == 200
    assert response.json()["state"] == "shipped"
    assert len(trade_row_reads(queries.captured_queries)) == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["plain post", "htmx"])
def test_a_web_action_reads_the_trade_once(db, htmx):
    trade = make_trade("shipped")
    client = signed_in(trade.buyer)
    headers = {"HX-Request": "true"} if htmx else {}

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/trades/{trade.pk}/act/", {"action": "message", "text": "届きました"}, headers=headers
        )

    assert response.status_code == (200 if htmx else 302)
    assert len(trade_row_reads(queries.captured_queries)) == 1

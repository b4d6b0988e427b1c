"""How many queries the busiest reads cost, pinned: the trade page, the API's trade resource,
the API's trade list and マイページ. A list costs the same whatever its length (no query per
row), so a change that adds a query per trade fails here before it reaches production.

The pinned numbers are today's; if a change needs one more query, say why in the commit and
raise the number here."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from furima.accounts.services import api_token_create
from tests.clients import signed_in
from tests.factories import make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

STATES = ["awaiting_shipment", "shipped", "awaiting_seller_rating", "completed", "cancelled"]


def trades_of(user, count: int) -> list:
    """`count` trades of `user`, bought and sold, in every state (the rated ones have ratings
    to read)."""
    states = itertools.cycle(STATES)
    return [
        make_trade(next(states), **({"buyer": user} if n % 2 else {"seller": user}))
        for n in range(count)
    ]


def queries_of(request) -> tuple[int, object]:
    """The queries of one request, made after a first one (so the session and the language
    are settled, as on every request but a visitor's first)."""
    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries), response


def api_client(user) -> tuple[Client, dict]:
    return Client(), {"Authorization": f"Bearer {api_token_create(user=user)}"}


def test_the_trade_page_costs_a_fixed_number_of_queries(db):
    trade = make_trade("completed")
    client = signed_in(trade.buyer)

    count, _ = queries_of(lambda: client.get(f"/trades/{trade.pk}/"))

    assert count == TRADE_PAGE_QUERIES


def test_the_api_trade_resource_costs_a_fixed_number_of_queries(db):
    trade = make_trade("completed")
    client, headers = api_client(trade.seller)

    count, response = queries_of(lambda: client.get(f"/api/v1/trades/{trade.pk}", headers=headers))

    assert response.json()["state"] == "completed"
    assert count == API_TRADE_QUERIES


@pytest.mark.parametrize("role", [None, "buyer", "seller"])
def test_the_api_trade_list_costs_the_same_for_2_and_10_trades(db, role):
    user = make_user()
    client, headers = api_client(user)
    path = "/api/v1/trades" + (f"?role={role}" if role else "")
    trades_of(user, 2)
    with_two, response = queries_of(lambda: client.get(path, headers=headers))
    shown_with_two = len(response.json())

    trades_of(user, 8)
    with_ten, response = queries_of(lambda: client.get(path, headers=headers))

    assert len(response.json()) > shown_with_two  # the list did grow
    assert with_ten == with_two == API_TRADE_LIST_QUERIES


def test_mypage_costs_the_same_for_2_and_10_trades(db):
    user = make_user()
    client = signed_in(user)
    trades_of(user, 2)
    with_two, _ = queries_of(lambda: client.get("/mypage/"))

    trades_of(user, 8)
    with_ten, response = queries_of(lambda: client.get("/mypage/"))

    assert len(response.context["buying"]) + len(response.context["selling"]) == 10
    assert with_ten == with_two == MYPAGE_QUERIES


TRADE_PAGE_QUERIES = 7  # session, user, trade, ratings, events, unread badge, inquiries
API_TRADE_QUERIES = 3
API_TRADE_LIST_QUERIES = 3  # token, the page of trades, their ratings (one query for all)
MYPAGE_QUERIES = 19  # 17 pinned, + payouts, likes, balances, the inbox's notices - 1 unread badge
# - the question and support cards (their notices are lines of the one inbox)

"""Every list endpoint pages with `?limit=` and an opaque cursor: a plain JSON array in the
body, the next page's URL in `Link: <URL>; rel="next"`, no Link on the last page."""

import re

import pytest

from furima.pagination import MAX_LIMIT
from furima.trades.services import trade_act
from tests.api.test_api import Api
from tests.factories import make_listing, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")
LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def read_all(api, path, **params):
    """Follow the Link headers to the end; return the pages' bodies."""
    pages = []
    response = api.get(path, **params)
    while True:
        assert response.status_code == 200, response.content
        assert isinstance(response.json(), list)
        pages.append(response.json())
        link = response.headers.get("Link")
        if link is None:
            return pages
        url = LINK.match(link)["url"]
        assert url.startswith("http://testserver/api/v1")
        response = api.client.get(url, headers=api.headers)


def test_a_seller_reads_every_trade_page_by_page_newest_first(db, clock):
    seller = make_user()
    made = []
    for _ in range(7):
        made.append(make_trade(seller=seller).pk)
        clock.advance(minutes=1)
    pages = read_all(Api(seller), "/trades", limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [t["id"] for p in pages for t in p] == made[::-1]


def test_trades_made_in_the_same_instant_are_neither_lost_nor_repeated(db):
    seller = make_user()
    made = {make_trade(seller=seller).pk for _ in range(5)}
    ids = [t["id"] for p in read_all(Api(seller), "/trades", limit=2) for t in p]
    assert sorted(ids) == sorted(made)


def test_filters_carry_over_to_the_next_page(db):
    seller = make_user()
    for _ in range(3):
        make_trade("shipped", seller=seller)
    make_trade("cancelled", seller=seller)
    pages = read_all(Api(seller), "/trades", limit=1, state="shipped", role="seller")
    assert len(pages) == 3
    assert {t["state"] for p in pages for t in p} == {"shipped"}


def test_a_full_last_page_has_no_link(db):
    seller = make_user()
    make_trade(seller=seller)
    make_trade(seller=seller)
    response = Api(seller).get("/trades", limit=2)
    assert len(response.json()) == 2
    assert "Link" not in response.headers


def test_more_than_200_trades_are_all_reachable(db):
    """The old list stopped at 200: a seller with thousands of trades never saw the rest."""
    seller, buyer = make_user(), make_user()
    for _ in range(205):
        make_trade(seller=seller, buyer=buyer)
    pages = read_all(Api(seller), "/trades", limit=1000)
    assert [len(p) for p in pages] == [MAX_LIMIT, 5]


def test_trade_events_page_oldest_first(db):
    trade = make_trade("shipped")
    for n in range(4):
        trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text=f"質問{n}")
    pages = read_all(Api(trade.buyer), f"/trades/{trade.pk}/events", limit=2)
    seqs = [e["seq"] for p in pages for e in p]
    assert seqs == list(range(1, 7))
    assert [len(p) for p in pages] == [2, 2, 2]


def test_listings_page_with_the_search_kept(db, clock):
    seller = make_user()
    for n in range(5):
        make_listing(seller=seller, title=f"イヤホン {n}")
        make_listing(seller=seller, title=f"文庫本 {n}")
        clock.advance(minutes=1)
    pages = read_all(Api(), "/listings", q="イヤホン", limit=2)
    titles = [x["title"] for p in pages for x in p]
    assert titles == [f"イヤホン {n}" for n in reversed(range(5))]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "W1siLXNlcSJdLFsxXV0", "e30"])
def test_a_cursor_the_list_never_handed_out_is_400(db, cursor):
    trade = make_trade()
    response = Api(trade.seller).get("/trades", cursor=cursor)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_a_limit_below_one_is_422(db):
    response = Api(make_user()).get("/trades", limit=0)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"

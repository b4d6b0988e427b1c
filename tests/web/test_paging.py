"""The web lists page like the API: a "next" link carrying an opaque cursor, none on the
last page; every item is reached exactly once."""

import re

import pytest
from django.test import Client

from furima.market import views as market_views
from furima.web import mypage
from tests.clients import signed_in
from tests.factories import make_listing, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")
NEXT = re.compile(r'href="\?([^"]+)" rel="next" data-testid="(?P<testid>[^"]+)"')


def follow(client, path, testid, query=""):
    """The pages' HTML, following the `testid` next link to the end."""
    pages = []
    while True:
        html = client.get(f"{path}?{query}").content.decode()
        pages.append(html)
        links = {m["testid"]: m[1].replace("&amp;", "&") for m in NEXT.finditer(html)}
        if testid not in links:
            return pages
        query = links[testid]


def test_browse_pages_through_every_item_with_the_search_kept(db, monkeypatch):
    monkeypatch.setattr(market_views, "PAGE_SIZE", 2)
    seller = make_user()
    for n in range(5):
        make_listing(seller=seller, title=f"ワイヤレスイヤホン{n}")
    make_listing(seller=seller, title="文庫本")
    pages = follow(Client(), "/items/", "next-page")
    assert len(pages) == 3
    pages = follow(Client(), "/items/", "next-page", query="q=イヤホン")
    found = [n for html in pages for n in range(5) if f"ワイヤレスイヤホン{n}" in html]
    assert sorted(found) == list(range(5))
    assert len(pages) == 3


def test_a_forged_browse_cursor_is_404(db):
    assert Client().get("/items/?cursor=garbage").status_code == 404


def test_my_page_pages_buying_and_selling_separately(db, monkeypatch):
    monkeypatch.setattr(mypage, "MYPAGE_TRADES", 2)
    seller = make_user()
    trades = [make_trade(seller=seller) for _ in range(3)]
    pages = follow(signed_in(seller), "/mypage/", "selling-next")
    assert len(pages) == 2
    for trade in trades:
        tables = [html.split('data-testid="selling"')[1].split("</table>")[0] for html in pages]
        assert sum(f"/trades/{trade.pk}/" in table for table in tables) == 1
    assert 'data-testid="buying-next"' not in pages[0]


def test_my_page_pages_the_items_on_sale(db, monkeypatch, clock):
    monkeypatch.setattr(mypage, "MYPAGE_TRADES", 2)
    seller = make_user()
    for n in range(3):
        make_listing(seller=seller, title=f"出品中の品物{n}")
        clock.advance(minutes=1)
    pages = follow(signed_in(seller), "/mypage/", "on-sale-next")
    assert len(pages) == 2
    sections = [html.split('data-testid="on-sale"')[1].split("</section>")[0] for html in pages]
    found = [
        sorted(
            (section.index(f"出品中の品物{n}"), n)
            for n in range(3)
            if f"出品中の品物{n}" in section
        )
        for section in sections
    ]
    assert [[n for _, n in page] for page in found] == [[2, 1], [0]]

"""Search: a keyword matched as a substring (Japanese has no spaces: 「イヤホン」 is inside
「ワイヤレスイヤホン」), filters for category, price, condition and on sale / sold, and a
sort, through one reader behind the web's search page and GET /api/v1/listings. Sold items
stay visible; withdrawn ones never show. The same tests run on SQLite and PostgreSQL (where
the trigram index answers)."""

import pytest
from django.db import connection, transaction
from django.test import Client

from furima.errors import FurimaError
from furima.market.search import ListingSearch, listings_search
from furima.market.services import listing_create, listing_withdraw
from furima.trades.purchase import listing_purchase
from tests.api.test_api import Api
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def shop(db, clock):
    """Six items, listed a minute apart (the newest last)."""
    seller = make_user()
    items = {}
    for key, title, price, category, condition in [
        ("earphones", "ワイヤレスイヤホン 白", 4980, "electronics-audio", "like_new"),
        ("headphones", "ヘッドホン Sony", 12000, "electronics-audio", "some_wear"),
        ("paperback", "文庫本 3冊セット", 600, "books-books", "some_wear"),
        ("comic", "漫画 全巻", 3500, "books-comics", "no_visible_wear"),
        ("camera", "ミラーレス カメラ", 45000, "electronics-cameras", "like_new"),
        ("percent", "100% cotton シャツ", 1500, "men-tops", "new"),
    ]:
        items[key] = listing_create(
            seller=seller, title=title, price=price, category=category, condition=condition
        )
        clock.advance(minutes=1)
    listing_purchase(listing_id=items["comic"].pk, buyer=make_user())
    listing_withdraw(listing_id=items["camera"].pk, user=seller)
    return items


def found(**search):
    query = ListingSearch(**search)
    return [x.title for x in listings_search(query).order_by(*query.ordering)]


def test_a_japanese_word_is_found_inside_a_longer_one(shop):
    assert found(query="イヤホン") == ["ワイヤレスイヤホン 白"]
    assert found(query="ワイヤレス") == ["ワイヤレスイヤホン 白"]


def test_one_and_two_character_words_are_found_too(shop):
    assert found(query="本") == ["文庫本 3冊セット"]
    assert found(query="漫画") == ["漫画 全巻"]
    assert found(query="so") == ["ヘッドホン Sony"]  # case does not matter


def test_every_word_must_match_and_the_description_counts(shop, clock):
    listing_create(
        seller=make_user(), title="ヘッドホン", price=900, description="ワイヤレス 充電ケース付き"
    )
    assert found(query="ヘッドホン ワイヤレス") == ["ヘッドホン"]


def test_like_wildcards_in_the_keyword_are_plain_characters(shop):
    assert found(query="100%") == ["100% cotton シャツ"]
    assert found(query="%") == ["100% cotton シャツ"]
    assert found(query="_") == []


def test_sold_items_stay_visible_and_withdrawn_ones_never_show(shop):
    assert "漫画 全巻" in found()
    assert "ミラーレス カメラ" not in found() + found(status="sold") + found(query="カメラ")
    assert found(status="sold") == ["漫画 全巻"]
    assert "漫画 全巻" not in found(status="on_sale")


def test_filters_narrow_by_category_price_and_condition(shop):
    assert found(category="electronics-audio") == ["ヘッドホン Sony", "ワイヤレスイヤホン 白"]
    assert found(category="books") == ["漫画 全巻", "文庫本 3冊セット"]  # a whole top category
    assert found(price_min=1000, price_max=5000) == [
        "100% cotton シャツ",
        "漫画 全巻",
        "ワイヤレスイヤホン 白",
    ]
    assert found(condition="some_wear", category="electronics") == ["ヘッドホン Sony"]


def test_sorts_by_newest_or_by_price(shop):
    assert found() == [
        "100% cotton シャツ",
        "漫画 全巻",
        "文庫本 3冊セット",
        "ヘッドホン Sony",
        "ワイヤレスイヤホン 白",
    ]
    assert found(sort="price_asc") == [
        "文庫本 3冊セット",
        "100% cotton シャツ",
        "漫画 全巻",
        "ワイヤレスイヤホン 白",
        "ヘッドホン Sony",
    ]
    assert found(sort="price_desc") == list(reversed(found(sort="price_asc")))


@pytest.mark.parametrize(
    "bad",
    [{"category": "pets"}, {"condition": "mint"}, {"status": "withdrawn"}, {"sort": "random"}],
)
def test_an_unknown_filter_value_is_refused(bad):
    with pytest.raises(FurimaError) as refused:
        ListingSearch(**bad)
    assert refused.value.code == "invalid_input"


def test_the_api_searches_with_query_parameters_and_pages_in_the_sort(shop):
    api = Api()
    first = api.get("/listings", sort="price_asc", limit=2, price_min=500)
    assert [x["price"] for x in first.json()] == [600, 1500]
    next_url = first["Link"].split(";")[0].strip("<>")
    assert "sort=price_asc" in next_url and "price_min=500" in next_url
    second = Client().get(next_url)
    assert [x["price"] for x in second.json()] == [3500, 4980]
    assert [x["status"] for x in api.get("/listings", status="sold").json()] == ["sold"]
    assert [x["title"] for x in api.get("/listings", q="イヤホン").json()] == [
        "ワイヤレスイヤホン 白"
    ]


def test_the_api_refuses_bad_filters_and_a_cursor_of_another_sort(shop):
    api = Api()
    assert api.get("/listings", category="pets").json()["error"] == "invalid_input"
    assert api.get("/listings", sort="random").status_code == 422
    cursor = api.get("/listings", limit=1)["Link"].split("cursor=")[1].split(">")[0]
    refused = api.get("/listings", sort="price_asc", cursor=cursor)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_input")


def test_the_search_page_filters_sorts_and_badges_sold_items(shop):
    html = Client().get("/items/", {"category": "books", "sort": "price_asc"}).content.decode()
    assert html.index("文庫本 3冊セット") < html.index("漫画 全巻")
    assert html.count('data-testid="sold"') == 1
    assert "ヘッドホン" not in html
    assert 'value="price_asc" selected' in html


def test_the_search_page_ignores_a_filter_it_cannot_read(shop):
    response = Client().get("/items/", {"q": "イヤホン", "price_min": "安い"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ワイヤレスイヤホン 白" in html and 'role="alert"' in html


@pytest.mark.postgresql_only
def test_postgresql_answers_a_keyword_from_the_trigram_index(shop):
    query = ListingSearch(query="イヤホン")
    sql, params = listings_search(query).order_by(*query.ordering).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Six rows: a sequential scan, or a whole btree index read in order, would be cheaper
        # than the trigram index; forbid both so the plan shows whether the search can use it
        # (a GIN index is read by a bitmap scan, the only path left when it applies).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "listing_text_trgm_idx" in plan, plan

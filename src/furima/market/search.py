"""Search: a keyword plus filters (category, price range, condition, on sale or sold) and a
sort (newest, cheapest, dearest). One reader for the web's search page and the API's
`GET /api/v1/listings`, paged by the same keyset cursor (`furima.pagination`).

Sold items stay in the results (with a SOLD badge): a buyer learns what such an item sells
for. Withdrawn ones never show.

Japanese has no spaces between words, so the keyword is matched as a substring: 「イヤホン」
finds 「ワイヤレスイヤホン」. On PostgreSQL a trigram index (pg_trgm, migration 0004) over
`title || ' ' || description` answers `ILIKE '%word%'` without reading every row. A trigram
is three characters, so a word with fewer than three letters or digits in a row has none to
look up: such words (「本」, "PS") are matched with a plain `icontains` on the columns instead,
which the planner combines with the newest-first index and the page's LIMIT rather than a
scan of the whole trigram index. SQLite (the demo) uses `icontains` for every word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField, Value

from furima.errors import FurimaError
from furima.market.catalog import Condition, catalog
from furima.market.models import MAX_PRICE, Listing, ListingStatus

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
}
"""Sort name → the keyset ordering (unique thanks to the id); a cursor is tied to one."""
STATUSES = ("all", "on_sale", "sold")
TRIGRAM = re.compile(r"\w{3}")


@dataclass(frozen=True)
class ListingSearch:
    """What the searcher asked for; `FurimaError` (`invalid_input`) for a value that is not
    one of the known ones."""

    query: str = ""
    category: str = ""  # a leaf id, or a top category's id (all its leaves)
    price_min: int | None = None
    price_max: int | None = None
    condition: str = ""
    status: str = "all"
    sort: str = "newest"

    def __post_init__(self) -> None:
        known = catalog()
        tops = {top.id for top, _ in known.top_categories}
        if self.category and self.category not in known.categories and self.category not in tops:
            raise FurimaError("the category must be one of the catalogue's (GET /api/v1/catalog)")
        for bound in (self.price_min, self.price_max):
            if bound is not None and not 0 <= bound <= MAX_PRICE:
                raise FurimaError(f"a price bound is a number of yen from 0 to {MAX_PRICE}")
        if self.condition and self.condition not in Condition.values:
            raise FurimaError(f"the condition is one of {', '.join(Condition.values)}")
        if self.status not in STATUSES:
            raise FurimaError(f"the status is one of {', '.join(STATUSES)}")
        if self.sort not in SORTS:
            raise FurimaError(f"the sort is one of {', '.join(SORTS)}")

    @property
    def ordering(self) -> tuple[str, ...]:
        return SORTS[self.sort]

    @property
    def words(self) -> list[str]:
        """The first `MAX_QUERY_WORDS` distinct words of the first `MAX_QUERY_LENGTH`
        characters: each is one more condition, and hundreds of them make the database
        refuse the query ("expression tree too large") instead of answering it."""
        return list(dict.fromkeys(self.query[:MAX_QUERY_LENGTH].split()))[:MAX_QUERY_WORDS]


class ListingText(Func):
    """`title || ' ' || description`: exactly the expression the trigram index covers."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("title"), F("description"))


class ILike(Func):
    """`text ILIKE pattern`, usable as a filter (PostgreSQL; pg_trgm indexes it)."""

    template = "%(expressions)s"
    arg_joiner = " ILIKE "
    output_field = BooleanField()


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _word_matches(word: str):
    if connection.vendor == "postgresql" and TRIGRAM.search(word):
        return ILike(ListingText(), Value(_like_pattern(word)))
    return Q(title__icontains=word) | Q(description__icontains=word)


def _category_filter(category: str) -> Q:
    if category in catalog().categories:
        return Q(category=category)
    children = dict((top.id, kids) for top, kids in catalog().top_categories)[category]
    return Q(category__in=[c.id for c in children])


def listings_search(search: ListingSearch) -> QuerySet[Listing]:
    """The listings `search` asks for (order them by `search.ordering`)."""
    found = Listing.objects.exclude(status=ListingStatus.WITHDRAWN)
    if search.status != "all":
        found = Listing.objects.filter(status=search.status)
    for word in search.words:
        found = found.filter(_word_matches(word))
    if search.category:
        found = found.filter(_category_filter(search.category))
    if search.price_min is not None:
        found = found.filter(price__gte=search.price_min)
    if search.price_max is not None:
        found = found.filter(price__lte=search.price_max)
    if search.condition:
        found = found.filter(condition=search.condition)
    return found.select_related("seller").prefetch_related("photos")

"""Keyset ("cursor") pagination, shared by the API's lists and the web's lists.

An offset (`?page=150`) makes the database count past every earlier row and shifts when new
rows arrive; a keyset page asks for "the rows after this one in this order", which an index
answers in the same time on page 1 and page 1,000. The cursor is opaque to clients: the
ordering and the last row's key values, JSON in URL-safe base64. A cursor that does not
decode, or was made for another ordering, is refused with `invalid_input`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from furima.errors import FurimaError


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


class BadCursor(FurimaError):
    code = "invalid_input"


def _encode(ordering: tuple[str, ...], values: list[Any]) -> str:
    raw = json.dumps([list(ordering), values], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, ordering: tuple[str, ...], model) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, values = json.loads(raw)
        if made_for != list(ordering) or len(values) != len(ordering):
            raise ValueError("cursor made for another list")
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError("no database text holds a NUL")
        return [
            model._meta.get_field(name.lstrip("-")).to_python(value)
            for name, value in zip(ordering, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError):
        raise BadCursor("the cursor is not one this list handed out") from None


def _after(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    after = Q()
    equal_so_far = Q()
    for name, value in zip(ordering, values, strict=True):
        field = name.lstrip("-")
        beyond = Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": value})
        after |= equal_so_far & beyond
        equal_so_far &= Q(**{field: value})
    return after


def next_page_query(query, cursor: str | None, *, param: str = "cursor") -> str | None:
    """For a web page's "next" link: the request's query string (a QueryDict) with `param`
    set to `cursor`, or None on the last page."""
    if cursor is None:
        return None
    query = query.copy()
    query[param] = cursor
    return query.urlencode()


def keyset_page(
    queryset: QuerySet, *, ordering: tuple[str, ...], limit: int, cursor: str | None = None
) -> Page:
    """Up to `limit` rows of `queryset` in `ordering` (fields of the model, `-` for
    descending, the last one unique), after the row `cursor` points to. The ordering's
    fields must never be null."""
    if cursor:
        queryset = queryset.filter(_after(ordering, _decode(cursor, ordering, queryset.model)))
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    values = [getattr(last, name.lstrip("-")) for name in ordering]
    values = [v.isoformat() if hasattr(v, "isoformat") else v for v in values]
    return Page(rows[:limit], _encode(ordering, values))


# ---------------------------------------------------------------- the API's lists
# Every list endpoint pages the same way (CONTRACT.md, "Additions"): the body is a plain
# JSON array; `?limit=` sets the page size; the next page's URL travels in a
# `Link: <URL>; rel="next"` header, absent on the last page. The cursor inside that URL is
# the opaque keyset cursor above.
#
# An endpoint declares `response: HttpResponse` (ninja's temporal response, so a header can
# be set), `limit` and `cursor`, and returns `paginate(...)`'s rows::
#
#     @router.get("/things", response={200: list[ThingOut], **ERRORS})
#     def things(request, response: HttpResponse, limit: int = DEFAULT_LIMIT, cursor: str = ""):
#         rows = paginate(request, response, things_of(user=request.user),
#                         ordering=("-created_at", "-id"), limit=limit, cursor=cursor)
#         return [thing_resource(r) for r in rows]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
"""A larger `limit` is served as MAX_LIMIT (the Link header leads on to the rest)."""


def next_url(request: HttpRequest, cursor: str) -> str:
    """This request's URL with `cursor` set: the filters and limit carry over."""
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    response: HttpResponse,
    queryset: QuerySet,
    *,
    ordering: tuple[str, ...],
    limit: int,
    cursor: str = "",
) -> list:
    """One page of `queryset`; sets the `Link` header when there is a next page."""
    if limit < 1:
        raise FurimaError("limit must be at least 1", code="validation_error")
    page = keyset_page(queryset, ordering=ordering, limit=min(limit, MAX_LIMIT), cursor=cursor)
    if page.next_cursor is not None:
        response["Link"] = f'<{next_url(request, page.next_cursor)}>; rel="next"'
    return page.items

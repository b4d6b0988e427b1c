"""Every list endpoint pages the same way (CONTRACT.md, "Additions"): the body is a plain
JSON array; `?limit=` sets the page size; the next page's URL travels in a
`Link: <URL>; rel="next"` header, absent on the last page. The cursor inside that URL is
opaque (`furima.pagination`).

An endpoint declares `response: HttpResponse` (ninja's temporal response, so a header can
be set), `limit` and `cursor`, and returns `paginate(...)`'s rows::

    @router.get("/things", response={200: list[ThingOut], **ERRORS})
    def things(request, response: HttpResponse, limit: int = DEFAULT_LIMIT, cursor: str = ""):
        rows = paginate(request, response, things_of(user=request.user),
                        ordering=("-created_at", "-id"), limit=limit, cursor=cursor)
        return [thing_resource(r) for r in rows]
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from furima.errors import FurimaError
from furima.pagination import keyset_page

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

"""Cursor pagination for every list endpoint (CONTRACT.md, Additions): a plain JSON array,
`?limit=` items per page, and the next page's URL in a `Link: <URL>; rel="next"` header,
absent on the last page.

Keyset, not offset: the cursor carries the last item's ordering values, so a page costs the
same deep in the list as at its start (one index range scan) and items written meanwhile
neither repeat nor vanish. The cursor is opaque to clients (URL-safe base64 of JSON).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse, QueryDict

from furima.errors import FurimaError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def paginate(
    request,
    response: HttpResponse,
    queryset: QuerySet,
    *,
    order: Sequence[str],
    limit: int | None = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> list:
    """One page of `queryset` in `order` (field names, "-" for descending, ending with a
    unique field such as "-id"), starting after `cursor`; sets the `Link` header."""
    limit = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise FurimaError(f"limit must be between 1 and {MAX_LIMIT}", code="invalid_input")
    fields = [name.lstrip("-") for name in order]
    queryset = queryset.order_by(*order)
    try:
        if cursor:
            queryset = queryset.filter(_after(order, _decode(cursor, len(fields))))
        items = list(queryset[: limit + 1])
    except (ValidationError, ValueError, TypeError):  # a cursor value of the wrong kind
        raise FurimaError(
            "this cursor is not one this list gave out", code="invalid_input"
        ) from None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        query = (
            request.GET.copy() if isinstance(request.GET, QueryDict) else QueryDict(mutable=True)
        )
        query["cursor"] = _encode([_plain(getattr(last, name)) for name in fields])
        query["limit"] = str(limit)
        url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        response["Link"] = f'<{url}>; rel="next"'
    return items


def _after(order: Sequence[str], values: list) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or …"""
    where = Q()
    equal = Q()
    for name, value in zip(order, values, strict=True):
        field = name.lstrip("-")
        beyond = Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": value})
        where |= equal & beyond
        equal &= Q(**{field: value})
    return where


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _encode(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise FurimaError("this cursor is not one this list gave out", code="invalid_input")
    return values

"""The staff desk's front page: one page of each queue, most urgent first, each paged on its
own cursor (`?inquiries=`, `?requests=`, `?problems=`, `?timers=`) so paging one queue keeps
the others where they were.

Keyset pages (`furima.pagination`): each page is one range of the queue's partial index,
so the page costs the same with ten waiting rows or ten thousand, and page 50 costs what
page 1 costs. A trade queue's page is found on its index alone (only the ordering's
columns), then its rows are fetched whole with listing and parties in one more query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from furima.pagination import keyset_page, next_page_query
from furima.support.selectors import (
    PARTY_FIELDS,
    failing_timer_queue,
    inquiries_overdue_count,
    inquiry_queue,
    operator_request_queue,
    problem_report_queue,
    trades_with_parties,
)
from furima.support.sla import inquiry_due_at
from furima.trades.selectors import trade_deadlines

QUEUE_SIZE = 20  # rows per queue page: the most urgent at a glance, the rest a click away

# The columns each queue shows (the operator requests need whole rows: the engine computes
# their due time from the trade's snapshot).
INQUIRY_FIELDS = (
    "due_at", "subject", "category", "status", "email", "trade", "user", "assignee",
    *(f"{who}__{name}" for who in ("user", "assignee") for name in PARTY_FIELDS),
)  # fmt: skip
PROBLEM_FIELDS = ("problem_reported_at", "problem_text")
TIMER_FIELDS = (
    "next_timer_at", "next_timer_name", "timer_failures", "timer_failed_at", "timer_last_error",
)  # fmt: skip

INQUIRY_ORDER = ("due_at", "id")
REQUEST_ORDER = ("operator_request_opened_at", "id")
PROBLEM_ORDER = ("problem_reported_at", "id")
TIMER_ORDER = ("next_timer_at", "id")


@dataclass(frozen=True)
class Queue:
    rows: list
    next_query: str | None  # the desk's query string for this queue's next page


@dataclass(frozen=True)
class DeskQueues:
    inquiries: Queue
    overdue: int  # waiting inquiries past their SLA
    requests: Queue  # rows: {"trade", "due", "overdue"}
    problems: Queue
    timers: Queue
    now: datetime


def queue_page(
    query: Mapping, param: str, queryset: QuerySet, ordering: tuple[str, ...], size: int
):
    """One keyset page of `queryset` and the query string of the next one. Raises
    `BadCursor` for a cursor this page did not hand out."""
    page = keyset_page(queryset, ordering=ordering, limit=size, cursor=query.get(param))
    return page.items, next_page_query(query, page.next_cursor, param=param)


def _trade_page(query, param, queryset, ordering, size, fields=None):
    index_only = queryset.only(*(name.lstrip("-") for name in ordering))
    found, next_query = queue_page(query, param, index_only, ordering, size)
    return trades_with_parties([trade.pk for trade in found], fields=fields), next_query


def _operator_requests(trades: list, now: datetime) -> list[dict]:
    """Each open request with when the operator owes the answer: the engine's own due time
    (the policy's proxy rating), else the inquiry SLA from when the request opened. The
    overdue ones lead; oldest first within each part."""
    rows = []
    for trade in trades:
        due = trade_deadlines(trade=trade).proxy_rate_at
        due = due or inquiry_due_at(trade.operator_request_opened_at)
        rows.append({"trade": trade, "due": due, "overdue": due <= now})
    rows.sort(key=lambda row: not row["overdue"])  # stable
    return rows


def desk_queues(*, query: Mapping, now: datetime, size: int | None = None) -> DeskQueues:
    """Every queue's current page for the desk, from the request's query string."""
    size = size or QUEUE_SIZE
    inquiries, inquiries_next = queue_page(
        query, "inquiries", inquiry_queue().only(*INQUIRY_FIELDS), INQUIRY_ORDER, size
    )
    requests, requests_next = _trade_page(
        query, "requests", operator_request_queue(), REQUEST_ORDER, size
    )
    problems, problems_next = _trade_page(
        query, "problems", problem_report_queue(), PROBLEM_ORDER, size, PROBLEM_FIELDS
    )
    timers, timers_next = _trade_page(
        query, "timers", failing_timer_queue(), TIMER_ORDER, size, TIMER_FIELDS
    )
    return DeskQueues(
        inquiries=Queue(inquiries, inquiries_next),
        overdue=inquiries_overdue_count(now=now),
        requests=Queue(_operator_requests(requests, now), requests_next),
        problems=Queue(problems, problems_next),
        timers=Queue(timers, timers_next),
        now=now,
    )

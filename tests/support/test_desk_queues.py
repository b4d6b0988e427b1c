"""The desk's front page costs the same however long its queues are: a fixed number of
queries, each queue one page found on its own index, paged on its own cursor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from furima.support import queues
from furima.support.services import inquiry_create
from furima.trades.services import trade_act
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


def _waiting(count: int, clock) -> None:
    """`count` of each: an inquiry, an operator request, a problem report."""
    for _ in range(count):
        inquiry_create(user=make_user(), category="other", subject="質問", body="本文")
        reported = make_trade("shipped")
        trade_act(trade_id=reported.pk, user=reported.buyer, action="report_problem", text="傷")
        asked = make_trade("shipped")
        clock.advance(timedelta(days=6))
        trade_act(trade_id=asked.pk, user=asked.seller, action="request_operator")
        clock.advance(timedelta(minutes=1))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/support/").status_code == 200
    return len(captured)


def test_the_desk_runs_the_same_queries_for_one_waiting_row_as_for_a_full_page(db, clock):
    staff = signed_in(make_staff())
    _waiting(1, clock)
    _queries(staff)  # the session's first page loads a little more
    few = _queries(staff)
    _waiting(4, clock)
    assert _queries(staff) == few


def test_each_queue_pages_on_its_own_cursor_and_keeps_the_others(db, clock, monkeypatch):
    monkeypatch.setattr(queues, "QUEUE_SIZE", 2)
    _waiting(3, clock)
    staff = signed_in(make_staff())

    first = staff.get("/support/").context["queues"]
    assert first.inquiries.next_query and first.problems.next_query
    second = staff.get(f"/support/?{first.inquiries.next_query}").context["queues"]

    assert len(second.inquiries.rows) == 1
    assert not {i.pk for i in second.inquiries.rows} & {i.pk for i in first.inquiries.rows}
    assert [t.pk for t in second.problems.rows] == [t.pk for t in first.problems.rows]
    page = staff.get(f"/support/?{first.inquiries.next_query}").content.decode()
    assert 'data-testid="inquiry-queue-next"' not in page  # the last page
    assert 'data-testid="problem-queue-next"' in page

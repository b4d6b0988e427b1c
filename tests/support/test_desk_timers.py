"""The desk's queue of timers that failed: trades whose due timer raised and is backing off
(`trades.backoff`), by next attempt, with the error and the failures in a row; staff may
try one again now, which goes in the trade's log with their name and is applied by the
worker's next sweep through the same path as every timer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.html import escape

from furima.support import queues
from furima.trades.models import Trade, TradeEvent
from furima.trades.selectors import trade_deadlines
from furima.trades.services import timers_apply_due
from tests.clients import signed_in
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


def failing(*trades: Trade, clock, times: int = 1) -> Trade:
    """Make the trades' automatic cancellation fail `times` in a row (their pinned policy
    version does not exist), as a bad deploy would: swept at its due time, then at each
    backed-off next attempt. Returns the first trade, refreshed."""
    Trade.objects.filter(pk__in=[t.pk for t in trades]).update(policy_version=999)
    clock.set(max(trade_deadlines(trade=t).auto_cancel_at for t in trades))
    for attempt in range(times):
        assert timers_apply_due(batch_size=10).failed == len(trades)
        for trade in trades:
            trade.refresh_from_db()
        if attempt < times - 1:
            clock.set(max(t.next_timer_at for t in trades))
    return trades[0]


def repaired(trade: Trade) -> Trade:
    Trade.objects.filter(pk=trade.pk).update(policy_version=1)
    trade.refresh_from_db()
    return trade


def test_failing_timers_are_listed_by_next_attempt_with_error_and_failures(db, clock):
    healthy = make_trade("shipped")
    later, sooner = make_trade("awaiting_shipment"), make_trade("awaiting_shipment")
    failing(later, sooner, clock=clock, times=2)
    Trade.objects.filter(pk=later.pk).update(next_timer_at=sooner.next_timer_at + timedelta(1))

    page = signed_in(make_staff()).get("/support/")

    assert [t.pk for t in page.context["queues"].timers.rows] == [sooner.pk, later.pk]
    row = page.content.decode().split(f'href="/support/trades/{sooner.pk}/"')[1].split("</tr>")[0]
    assert sooner.next_timer_name in row
    assert escape(sooner.timer_last_error[:40]) in row
    assert f"<td>{sooner.timer_failures} " in row and sooner.timer_failures == 2
    assert f"/support/trades/{healthy.pk}/" not in page.content.decode()
    assert f'data-testid="retry-timer-{sooner.pk}"' in row


def test_the_desk_says_so_when_no_timer_is_failing(db):
    make_trade("shipped")
    page = signed_in(make_staff()).get("/support/")
    assert page.context["queues"].timers.rows == []
    assert "失敗しているタイマーはありません" in page.content.decode()


def test_retry_now_makes_the_timer_due_and_logs_the_staff_member(db, clock):
    trade = failing(make_trade("awaiting_shipment"), clock=clock, times=3)
    assert trade.next_timer_at > clock.now()
    staff = make_staff("sato")

    response = signed_in(staff).post(f"/support/trades/{trade.pk}/retry-timer/", {"back": "desk"})

    assert response.status_code == 302 and response["Location"] == "/support/"
    trade.refresh_from_db()
    assert trade.next_timer_at == clock.now()
    event = TradeEvent.objects.get(trade=trade, action="staff_timer_retry")
    assert event.actor == "operator" and event.user == staff and event.data["staff"] == "sato"
    assert event.data["failures"] == 3 and event.notify == []


def test_a_retried_timer_that_now_works_is_applied_and_leaves_the_queue(db, clock):
    trade = failing(make_trade("awaiting_shipment"), clock=clock, times=4)
    repaired(trade)
    staff = make_staff()
    signed_in(staff).post(f"/support/trades/{trade.pk}/retry-timer/")

    assert timers_apply_due(batch_size=10).applied == 1

    trade.refresh_from_db()
    assert trade.state == "cancelled" and trade.timer_failures == 0
    assert signed_in(staff).get("/support/").context["queues"].timers.rows == []


def test_retry_now_on_a_trade_without_a_failing_timer_changes_nothing(db):
    trade = make_trade("awaiting_shipment")
    before = (trade.next_timer_at, trade.revision)

    response = signed_in(make_staff()).post(f"/support/trades/{trade.pk}/retry-timer/")

    assert response.status_code == 409
    assert "再試行する失敗したタイマーはありません" in response.content.decode()
    trade.refresh_from_db()
    assert (trade.next_timer_at, trade.revision) == before


def test_the_desk_trade_view_shows_the_failure_and_offers_a_retry(db, clock):
    trade = failing(make_trade("awaiting_shipment"), clock=clock, times=2)
    html = signed_in(make_staff()).get(f"/support/trades/{trade.pk}/").content.decode()
    assert 'data-testid="failing-timer"' in html and 'data-testid="retry-timer"' in html
    assert trade.timer_last_error.split(":")[0] in html


def test_the_timer_queue_pages_by_next_attempt(db, clock, monkeypatch):
    trades = [make_trade("awaiting_shipment") for _ in range(3)]
    failing(*trades, clock=clock)
    for n, trade in enumerate(reversed(trades)):  # the newest trade tried first
        Trade.objects.filter(pk=trade.pk).update(next_timer_at=clock.now() + timedelta(minutes=n))
    monkeypatch.setattr(queues, "QUEUE_SIZE", 2)
    staff = signed_in(make_staff())

    first = staff.get("/support/")
    link = first.context["queues"].timers.next_query
    second = staff.get(f"/support/?{link}")

    seen = [t.pk for t in first.context["queues"].timers.rows]
    seen += [t.pk for t in second.context["queues"].timers.rows]
    assert seen == [t.pk for t in reversed(trades)]
    assert second.context["queues"].timers.next_query is None


def test_a_made_up_queue_cursor_is_not_found(db):
    assert signed_in(make_staff()).get("/support/", {"timers": "bm9wZQ"}).status_code == 404

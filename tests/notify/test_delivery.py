"""Delivering the outbox: the worker's sweep sends due notices over SMTP, retries with
backoff while the server is down, reclaims what a dead worker claimed, and sends once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from furima.notify.models import Notification
from furima.notify.tasks import MAX_ATTEMPTS, deliver_due, notifications_claim, retry_after
from furima.trades.services import trade_act
from tests.factories import make_trade


@pytest.fixture
def shipped_notice(clock, seller, buyer) -> Notification:
    """The buyer's pending notice that their item was shipped (the seller's purchase notice
    is already sent, so each test sees one row to deliver)."""
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    Notification.objects.update(status="sent")
    result = trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")
    return Notification.objects.get(event=result.event)


def test_a_due_notice_is_delivered_over_smtp_and_marked_sent(clock, smtp_server, shipped_notice):
    smtp_server.start()

    assert deliver_due(batch_size=50) == 1

    [message] = smtp_server.inbox.messages
    assert message["X-Envelope-To"] == "taro@example.test"
    assert message["To"] == "taro@example.test"
    assert message["Subject"].strip() == shipped_notice.subject  # (folded after "Subject:")
    assert message["Message-ID"] == shipped_notice.message_id
    assert message["Date"].datetime == clock.now()
    assert f"/trades/{shipped_notice.trade_id}/" in message.get_content()
    shipped_notice.refresh_from_db()
    assert (shipped_notice.status, shipped_notice.sent_at) == ("sent", clock.now())


def test_while_the_server_is_down_the_notice_waits_for_its_backoff_then_goes(
    clock, smtp_server, shipped_notice
):
    failed_at = clock.now()

    assert deliver_due(batch_size=50) == 1

    shipped_notice.refresh_from_db()
    assert (shipped_notice.status, shipped_notice.attempts) == ("pending", 1)
    assert shipped_notice.next_attempt_at == failed_at + timedelta(minutes=1)
    assert "Connection" in shipped_notice.last_error or "refused" in shipped_notice.last_error

    smtp_server.start()
    assert deliver_due(batch_size=50) == 0  # not due yet
    clock.advance(minutes=1)
    assert deliver_due(batch_size=50) == 1

    shipped_notice.refresh_from_db()
    assert (shipped_notice.status, shipped_notice.attempts) == ("sent", 2)
    assert len(smtp_server.inbox.messages) == 1


def test_retries_back_off_to_an_hour_and_give_up_after_max_attempts(
    clock, smtp_server, shipped_notice
):
    waits = []
    for _ in range(MAX_ATTEMPTS):
        deliver_due(batch_size=50)
        shipped_notice.refresh_from_db()
        if shipped_notice.next_attempt_at is not None:
            waits.append(shipped_notice.next_attempt_at - clock.now())
            clock.set(shipped_notice.next_attempt_at)

    assert [w // timedelta(minutes=1) for w in waits] == [1, 2, 4, 8, 16, 32, 60]
    assert (shipped_notice.status, shipped_notice.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliver_due(batch_size=50) == 0


def test_the_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [retry_after(n) // timedelta(minutes=1) for n in (1, 2, 3, 7, 8, 20)] == [
        1,
        2,
        4,
        60,
        60,
        60,
    ]


def test_a_stale_claim_is_reclaimed_and_sent(clock, mailoutbox, shipped_notice):
    [claimed], _ = notifications_claim(batch_size=50)  # ...and the worker dies before sending
    assert claimed.pk == shipped_notice.pk

    clock.advance(minutes=5)
    assert deliver_due(batch_size=50) == 0  # still its worker's
    clock.advance(minutes=10)
    assert deliver_due(batch_size=50) == 1

    assert [m.to for m in mailoutbox] == [["taro@example.test"]]
    shipped_notice.refresh_from_db()
    assert (shipped_notice.status, shipped_notice.attempts) == ("sent", 2)


def test_delivering_twice_sends_once(clock, mailoutbox, shipped_notice):
    assert deliver_due(batch_size=50) == 1
    assert deliver_due(batch_size=50) == 0

    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == shipped_notice.message_id


def test_the_worker_delivers_notices_with_the_timers(clock, mailoutbox, shipped_notice):
    call_command("worker", "--once")

    assert [m.subject for m in mailoutbox] == [shipped_notice.subject]

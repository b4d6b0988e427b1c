"""Writing the outbox: each accepted step leaves one pending mail row per party it tells,
in the same transaction as the step itself."""

from __future__ import annotations

import pytest

from furima.notify.models import Notification
from furima.notify.selectors import notifications_for_event
from furima.trades.errors import ActionRejected
from furima.trades.selectors import trade_deadlines
from furima.trades.services import trade_act
from tests.factories import make_trade, make_user

OUR_SUBSCRIBER = "furima.notify.services.notifications_for_events"


class ProcessDied(Exception):
    pass


def die_after_the_outbox_is_written(*, events) -> None:
    """A subscriber listed after ours: the notices exist, then the process dies uncommitted."""
    assert Notification.objects.filter(event__in=[e.pk for e in events]).exists()
    raise ProcessDied


def test_shipping_writes_one_pending_notice_for_the_buyer(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)

    result = trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")

    [notice] = notifications_for_event(event_id=result.event.pk)
    assert (notice.recipient, notice.trade, notice.channel) == (buyer, trade, "mail")
    assert (notice.status, notice.attempts, notice.next_attempt_at) == ("pending", 0, clock.now())
    assert notice.dedupe_key == f"{result.event.pk}:{buyer.pk}:mail"


def test_the_notice_is_written_in_the_steps_transaction_and_rolls_back_with_it(
    clock, settings, seller, buyer
):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    settings.FURIMA_TRADE_EVENT_SUBSCRIBERS = [
        OUR_SUBSCRIBER,
        "tests.notify.test_outbox.die_after_the_outbox_is_written",
    ]

    with pytest.raises(ProcessDied):
        trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")

    trade.refresh_from_db()
    assert trade.state == "awaiting_shipment"
    assert not Notification.objects.filter(recipient=buyer).exists()


def test_a_rejected_action_writes_no_notice(clock, seller, buyer):
    trade = make_trade("shipped", seller=seller, buyer=buyer)
    before = Notification.objects.count()

    with pytest.raises(ActionRejected):
        trade_act(trade_id=trade.pk, user=seller, action="request_operator")  # too early

    assert Notification.objects.count() == before


def test_asking_the_operator_notifies_both_parties(clock, seller, buyer):
    trade = make_trade("shipped", seller=seller, buyer=buyer)
    clock.set(trade_deadlines(trade=trade).operator_request_allowed_from)

    result = trade_act(trade_id=trade.pk, user=seller, action="request_operator")

    notices = notifications_for_event(event_id=result.event.pk)
    assert {n.recipient for n in notices} == {buyer, seller}
    assert {n.status for n in notices} == {"pending"}


def test_the_notice_is_rendered_in_japanese_with_the_item_and_the_trade_path(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)

    result = trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")

    [notice] = notifications_for_event(event_id=result.event.pk)
    assert notice.language == "ja"
    assert "文庫本 3冊セット" in notice.subject
    assert "発送" in notice.subject  # the trade screen's label for the step, in Japanese
    assert "太郎" in notice.body
    assert f"/trades/{trade.pk}/" in notice.body


def test_the_notice_is_rendered_in_english_where_that_is_the_language(
    clock, settings, seller, buyer
):
    settings.LANGUAGE_CODE = "en"
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)

    result = trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")

    [notice] = notifications_for_event(event_id=result.event.pk)
    assert notice.language == "en"
    assert notice.subject == f"[furima] 文庫本 3冊セット: {seller} sent the shipping notice"
    assert f"Open the trade screen: http://localhost:8000/trades/{trade.pk}/" in notice.body


def test_a_party_without_an_email_address_gets_no_mail_row(clock, seller):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=make_user())

    result = trade_act(trade_id=trade.pk, user=seller, action="ship", tracking_number="1234")

    assert not notifications_for_event(event_id=result.event.pk).exists()


def test_the_purchase_tells_the_seller(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)

    assert [(n.recipient, n.event.action) for n in Notification.objects.filter(trade=trade)] == [
        (seller, "purchase")
    ]

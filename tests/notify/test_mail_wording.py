"""Each mail says what happened, the item, the amount, what comes next with its date, the
message text where there is one, and an absolute link; its subject says the same in a few
words. Users choose which mails they get and their language (issue 13, points 9–10)."""

from __future__ import annotations

import pytest
from django.utils import translation

from furima.notify.badge import inbox_unread_count
from furima.notify.selectors import inbox_lines, notifications_for_event
from furima.notify.services import inbox_mark_read, notification_settings_save
from furima.trades.services import trade_act
from tests.factories import make_trade


@pytest.fixture(autouse=True)
def site(settings):
    settings.FURIMA_SITE_URL = "https://furima.example"


def test_a_shipping_mail_says_who_what_how_much_and_what_comes_next(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer, price=3300)
    result = trade_act(
        trade_id=trade.pk, user=seller, action="ship", tracking_number="1234-5678-9012"
    )
    [notice] = notifications_for_event(event_id=result.event.pk)
    assert notice.subject == "[furima] 文庫本 3冊セット: 花子さんが発送しました"
    body = notice.body
    assert "花子さんが発送しました。" in body
    assert "3,300円" in body
    assert "受取評価をしてください" in body and "13:00" in body  # the auto rating's date
    assert f"https://furima.example/trades/{trade.pk}/" in body
    assert "https://furima.example/mypage/notifications/" in body


def test_a_message_mail_quotes_the_message(clock, seller, buyer):
    trade = make_trade("shipped", seller=seller, buyer=buyer)
    result = trade_act(trade_id=trade.pk, user=buyer, action="message", text="届きました！")
    [notice] = notifications_for_event(event_id=result.event.pk)
    assert "太郎さんがメッセージを送りました" in notice.subject
    assert "届きました！" in notice.body


def test_a_cancellation_mail_gives_the_reason(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    result = trade_act(trade_id=trade.pk, user=seller, action="cancel", reason="在庫切れ")
    [notice] = notifications_for_event(event_id=result.event.pk)
    assert "キャンセル" in notice.subject and "在庫切れ" in notice.body


def test_a_user_who_turned_message_mails_off_gets_none_but_still_gets_the_rest(
    clock, seller, buyer
):
    notification_settings_save(user=seller, mail_on=["trade", "support"], language="ja")
    trade = make_trade("shipped", seller=seller, buyer=buyer)
    said = trade_act(trade_id=trade.pk, user=buyer, action="message", text="hi")
    assert list(notifications_for_event(event_id=said.event.pk)) == []
    rated = trade_act(trade_id=trade.pk, user=buyer, action="rate", rating="good")
    assert [n.recipient for n in notifications_for_event(event_id=rated.event.pk)] == [seller]


def test_mails_are_written_in_the_recipients_own_language(clock, seller, buyer):
    notification_settings_save(user=buyer, mail_on=["trade"], language="en")
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    result = trade_act(trade_id=trade.pk, user=seller, action="ship")
    [notice] = notifications_for_event(event_id=result.event.pk)
    assert notice.language == "en"
    assert notice.subject == "[furima] 文庫本 3冊セット: 花子 sent the shipping notice"


def test_the_inbox_says_who_did_what_and_counts_unread_until_marked_read(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    with translation.override("ja"):  # the inbox speaks the language of the page showing it
        assert [line.text for line in inbox_lines(user=buyer)] == ["花子さんが発送しました"]
    assert inbox_unread_count(user=buyer) == 1
    inbox_mark_read(user=buyer)
    assert inbox_unread_count(user=buyer) == 0
    assert not inbox_lines(user=buyer)[0].unread


def test_the_unread_count_is_the_unread_lines_of_the_inbox_in_one_query(
    clock, seller, buyer, django_assert_num_queries
):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    inbox_mark_read(user=buyer)
    clock.advance(hours=1)
    trade_act(trade_id=trade.pk, user=seller, action="message", text="届きましたか")
    trade_act(trade_id=trade.pk, user=buyer, action="message", text="まだです")  # the seller's
    with django_assert_num_queries(1):
        unread = inbox_unread_count(user=buyer)
    assert unread == sum(line.unread for line in inbox_lines(user=buyer)) == 1
    assert inbox_unread_count(user=seller) == len(inbox_lines(user=seller)) == 2  # + purchase


def test_list_unsubscribe_points_at_the_preferences(clock, mailoutbox, seller, buyer):
    from furima.notify.tasks import deliver_due

    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    deliver_due(batch_size=10)
    sent = [m for m in mailoutbox if buyer.email in m.to]
    assert sent and sent[-1].extra_headers["List-Unsubscribe"] == (
        "<https://furima.example/mypage/notifications/>"
    )

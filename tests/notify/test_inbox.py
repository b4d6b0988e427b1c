"""The in-app inbox is one list of everything the user was told in-app: the trade steps that
told their side and every other in-app notice (questions and answers, price drops on liked
items, payouts, support), newest first, with one unread count in the header and "mark as
read" for one notice or all of them (issue 13, point 11)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from furima.notify.badge import inbox_unread_count
from furima.notify.models import LIKES_TOPIC, QUESTIONS_TOPIC
from furima.notify.selectors import inbox_lines, inbox_page
from furima.notify.services import (
    inbox_mark_one_read,
    inbox_mark_read,
    inbox_mark_step_read,
    notification_send,
)
from furima.pagination import BadCursor
from furima.trades.services import trade_act
from tests.factories import make_trade, make_user

KINDS = {
    QUESTIONS_TOPIC: ("[furima] 文庫本: a new question", "/items/1/#comment-1"),
    LIKES_TOPIC: ("[furima] 文庫本 is now ¥2,800", "/items/1/"),
    "": ("[furima] Your payout of ¥5,000 was transferred", "/mypage/#sales"),
}


def tell(user, n: int, *, topic: str = "", subject: str = "[furima] notice", link: str = "/x/"):
    notification_send(
        key=f"test-{topic}-{n}",
        recipient=user,
        language="en",
        subject=subject,
        body="…",
        link=link,
        topic=topic,
    )


def test_every_kind_of_notice_is_a_line_of_the_inbox_newest_first(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    clock.advance(minutes=1)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    for n, (topic, (subject, link)) in enumerate(KINDS.items()):
        clock.advance(minutes=1)
        tell(buyer, n, topic=topic, subject=subject, link=link)

    with translation.override("ja"):
        lines = inbox_lines(user=buyer)

    assert [line.text for line in lines] == [
        "Your payout of ¥5,000 was transferred",
        "文庫本 is now ¥2,800",
        "文庫本: a new question",
        "花子さんが発送しました",  # the trade line keeps its wording
    ]
    assert [line.kind for line in lines] == ["", LIKES_TOPIC, QUESTIONS_TOPIC, "trade"]
    assert [line.link for line in lines] == [
        "/mypage/#sales",
        "/items/1/",
        "/items/1/#comment-1",
        f"/trades/{trade.pk}/",
    ]
    assert all(line.unread for line in lines)


def test_the_unread_count_rises_with_each_notice_and_falls_as_they_are_read(clock, buyer):
    assert inbox_unread_count(user=buyer) == 0
    tell(buyer, 1, topic=QUESTIONS_TOPIC)
    tell(buyer, 2, topic=LIKES_TOPIC)
    tell(buyer, 3)
    assert inbox_unread_count(user=buyer) == 3

    [newest, *_] = inbox_lines(user=buyer)
    assert inbox_mark_one_read(user=buyer, notice_id=newest.notice_id)
    assert inbox_unread_count(user=buyer) == 2
    assert [line.unread for line in inbox_lines(user=buyer)] == [False, True, True]

    inbox_mark_read(user=buyer)
    assert inbox_unread_count(user=buyer) == 0
    clock.advance(minutes=1)
    tell(buyer, 4, topic=LIKES_TOPIC)
    assert inbox_unread_count(user=buyer) == 1
    assert [line.unread for line in inbox_lines(user=buyer)] == [True, False, False, False]


def test_mark_all_read_reads_trade_lines_and_notices_alike(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    tell(buyer, 1, topic=QUESTIONS_TOPIC)
    assert inbox_unread_count(user=buyer) == 2

    inbox_mark_read(user=buyer)

    assert inbox_unread_count(user=buyer) == 0
    assert not any(line.unread for line in inbox_lines(user=buyer))


def test_a_trade_steps_line_is_marked_read_on_its_own_only_by_a_party_it_told(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    clock.advance(minutes=1)
    trade_act(trade_id=trade.pk, user=seller, action="message", text="届きましたか")
    newest, shipped = inbox_lines(user=buyer)
    assert inbox_unread_count(user=buyer) == 2

    assert inbox_mark_step_read(user=buyer, event_id=shipped.event_id)

    assert inbox_unread_count(user=buyer) == 1
    assert [line.unread for line in inbox_lines(user=buyer)] == [True, False]
    stranger = make_user()
    assert not inbox_mark_step_read(user=stranger, event_id=newest.event_id)
    assert not inbox_mark_step_read(user=seller, event_id=shipped.event_id)  # told the buyer
    assert inbox_unread_count(user=buyer) == 1


def test_another_users_notices_are_never_shown_counted_or_marked(clock, seller, buyer):
    tell(seller, 1, topic=QUESTIONS_TOPIC, subject="[furima] for the seller only")
    [theirs] = inbox_lines(user=seller)

    assert inbox_lines(user=buyer) == []
    assert inbox_unread_count(user=buyer) == 0
    assert not inbox_mark_one_read(user=buyer, notice_id=theirs.notice_id)
    assert inbox_unread_count(user=seller) == 1


def test_the_inbox_pages_on_a_cursor_without_losing_or_repeating_a_line(clock, seller, buyer):
    trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
    trade_act(trade_id=trade.pk, user=seller, action="ship")
    for n in range(6):
        tell(buyer, n, subject=f"[furima] notice {n}")  # same time as each other
        if n % 2:
            clock.advance(minutes=1)
            trade_act(trade_id=trade.pk, user=seller, action="message", text=f"m{n}")

    everything = inbox_page(user=buyer, limit=50).lines
    seen, cursor = [], None
    while True:
        page = inbox_page(user=buyer, limit=4, cursor=cursor)
        seen += page.lines
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    assert len(everything) == 10  # purchase is the seller's; ship + 3 messages + 6 notices
    assert [line.key for line in seen] == [line.key for line in everything]
    with pytest.raises(BadCursor):
        inbox_page(user=buyer, cursor="bm90IGEgY3Vyc29y")


@pytest.mark.parametrize("with_trade", [True, False])
def test_the_header_badge_costs_the_same_queries_for_2_and_20_notices(
    clock, seller, buyer, with_trade, django_assert_num_queries
):
    if with_trade:
        trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
        trade_act(trade_id=trade.pk, user=seller, action="ship")
    for n in range(2):
        tell(buyer, n)
    with django_assert_num_queries(1):
        assert inbox_unread_count(user=buyer) == 2 + with_trade
    for n in range(2, 20):
        tell(buyer, n)
    with django_assert_num_queries(1):
        assert inbox_unread_count(user=buyer) == 20 + with_trade


def test_mypage_shows_notices_in_the_inbox_and_marks_one_read(clock, buyer):
    tell(buyer, 1, topic=LIKES_TOPIC, subject="[furima] 文庫本 is now ¥2,800", link="/items/9/")
    client = Client()
    client.force_login(buyer)

    page = client.get("/mypage/").content.decode()
    assert 'data-testid="unread-count">1<' in page  # the header badge counts the notice
    assert 'href="/items/9/" data-testid="notice-likes">文庫本 is now ¥2,800</a>' in page
    [line] = inbox_lines(user=buyer)
    assert client.post(f"/mypage/notifications/read/{line.notice_id}/").status_code == 302
    assert inbox_unread_count(user=buyer) == 0

    other = make_user()
    client.force_login(other)
    assert client.post(f"/mypage/notifications/read/{line.notice_id}/").status_code == 404
    assert client.post("/mypage/notifications/read/step/999999/").status_code == 404


def test_the_badge_counts_what_the_inbox_window_marks_unread_with_many_steps_and_marks(
    clock, seller, buyer
):
    """The badge is one hand-written statement (notify/badge.py); the inbox builds its lines
    through the ORM. Past the window of 50 lines, with a read mark in the middle, lines marked
    one by one, steps that told only the other side and a sold item of the buyer's own, the
    two still agree."""
    for n in range(30):  # each trade: purchase (tells the seller), ship, message, message
        trade = make_trade("awaiting_shipment", seller=seller, buyer=buyer)
        clock.advance(minutes=1)
        trade_act(trade_id=trade.pk, user=seller, action="ship")
        clock.advance(minutes=1)
        trade_act(trade_id=trade.pk, user=seller, action="message", text=f"{n}")
        clock.advance(minutes=1)
        trade_act(trade_id=trade.pk, user=buyer, action="message", text=f"{n}")  # tells seller
        if n == 20:
            inbox_mark_read(user=buyer)
        if n == 21:
            tell(buyer, n, topic=QUESTIONS_TOPIC)
    own_sale = make_trade("awaiting_shipment", seller=buyer, buyer=make_user())
    clock.advance(minutes=1)
    trade_act(trade_id=own_sale.pk, user=buyer, action="ship")
    for line in inbox_lines(user=buyer, limit=50)[3:9:2]:
        if line.event_id:
            inbox_mark_step_read(user=buyer, event_id=line.event_id)

    for user in (buyer, seller):
        window = [line for line in inbox_lines(user=user, limit=50) if line.kind == "trade"]
        notices = [line for line in inbox_lines(user=user, limit=50) if line.kind != "trade"]
        expected = sum(line.unread for line in window) + sum(line.unread for line in notices)
        assert inbox_unread_count(user=user) == expected
    assert len(inbox_lines(user=buyer, limit=51)) == 51  # more lines than the window
    assert 0 < inbox_unread_count(user=buyer) < 50

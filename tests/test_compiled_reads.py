"""`dbrows.CompiledRead`: a read the ORM compiles once, then runs with each call's values.
It must answer exactly what the queryset answers, for any values, on SQLite and PostgreSQL;
compile once per set of value names; and refuse a query whose value does not become a
parameter of the statement (it could not be replaced)."""

from __future__ import annotations

import pytest

from furima.dbrows import CompiledRead
from furima.support.models import Inquiry
from furima.support.selectors import CARD_LENGTH, inquiries_for_trade, trade_inquiries_card
from furima.support.services import inquiry_create
from furima.trades.models import TradeEvent
from furima.trades.selectors import trade_events, trade_log
from tests.factories import make_staff, make_trade

pytestmark = pytest.mark.usefixtures("clock")


def ask(user, trade, subject: str) -> Inquiry:
    return inquiry_create(
        user=user, category="buyer_trouble", subject=subject, body="本文", trade_id=trade.pk
    )


def fields(rows, *names: str) -> list[tuple]:
    return [tuple(getattr(row, name) for name in names) for row in rows]


def test_the_trade_log_is_the_trades_events_for_every_trade(db):
    trades = [make_trade(state) for state in ("awaiting_shipment", "shipped", "completed")]

    for trade in trades * 2:  # the second round runs the statement compiled in the first
        expected = list(trade_events(trade=trade))
        assert expected  # every trade has at least its purchase
        assert fields(trade_log(trade=trade), "pk", "seq", "action", "at", "data", "notify") == (
            fields(expected, "pk", "seq", "action", "at", "data", "notify")
        )


def test_the_inquiries_card_shows_what_the_viewer_may_see_newest_first(db):
    trade, other = make_trade("shipped"), make_trade("shipped")
    for n in range(CARD_LENGTH + 2):
        ask(trade.buyer if n % 3 else trade.seller, trade, f"質問{n}")
    ask(other.buyer, other, "別の取引")

    for viewer in (trade.buyer, trade.seller, make_staff(), other.buyer):
        shown = trade_inquiries_card(trade=trade, user=viewer)
        expected = inquiries_for_trade(trade=trade, user=viewer)[:CARD_LENGTH]
        assert fields(shown, "pk", "subject", "status") == fields(
            expected, "pk", "subject", "status"
        )
    assert len(trade_inquiries_card(trade=trade, user=make_staff())) == CARD_LENGTH
    assert trade_inquiries_card(trade=trade, user=other.buyer) == []


def test_it_compiles_once_per_set_of_value_names(db):
    built: list[dict] = []

    def build(**values):
        built.append(values)
        return TradeEvent.objects.filter(**values)

    read = CompiledRead(build)
    trade = make_trade("shipped")
    for _ in range(3):
        assert [e.trade_id for e in read(trade_id=trade.pk)] == [trade.pk, trade.pk]
        list(read(trade_id=trade.pk, seq=1))

    assert [sorted(values) for values in built] == [["trade_id"], ["seq", "trade_id"]]


def test_a_value_the_orm_writes_into_the_sql_text_is_refused(db):
    newest = CompiledRead(lambda count: TradeEvent.objects.order_by("-id")[:count])

    with pytest.raises(ValueError, match="count"):
        newest(count=3)

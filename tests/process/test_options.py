"""The actions a party is offered are exactly the ones the engine would accept."""

from furima.process import Actor
from furima.process.options import action_options, allowed_actions
from tests.process.trades import TradeUnderTest, jst, purchased_and_shipped


def test_a_seller_awaiting_shipment_may_ship_message_or_cancel():
    trade = TradeUnderTest("furima")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    now = jst("2026-03-03 09:00")
    assert sorted(allowed_actions(trade.snapshot, Actor.SELLER, now, trade.policy)) == [
        "cancel",
        "message",
        "request_cancel",
        "ship",
    ]


def test_a_buyer_sees_when_cancelling_an_unshipped_trade_opens():
    trade = TradeUnderTest("furima", ship_within="2-3")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    options = action_options(trade.snapshot, Actor.BUYER, jst("2026-03-03 09:00"), trade.policy)
    cancel = next(o for o in options if o.action == "cancel")
    assert (cancel.allowed, cancel.allowed_from) == (False, jst("2026-03-06 00:00"))


def test_the_seller_sees_when_the_operator_may_be_asked():
    trade = purchased_and_shipped(
        "rakuma-2016", purchased="2016-12-08 21:00", shipped="2016-12-09 10:00"
    )
    options = action_options(trade.snapshot, Actor.SELLER, jst("2016-12-20 09:00"), trade.policy)
    request = next(o for o in options if o.action == "request_operator")
    assert (request.allowed, request.allowed_from) == (False, jst("2016-12-23 10:00"))
    assert "rate" not in {o.action for o in options}


def test_a_buyer_in_shipped_may_rate_message_and_report_a_problem():
    trade = purchased_and_shipped(
        "furima", purchased="2026-03-02 20:00", shipped="2026-03-03 10:00"
    )
    now = jst("2026-03-04 10:00")
    assert sorted(allowed_actions(trade.snapshot, Actor.BUYER, now, trade.policy)) == [
        "message",
        "rate",
        "report_problem",
        "request_cancel",
    ]


def test_nobody_may_act_on_a_finished_trade():
    trade = TradeUnderTest("furima")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    trade.do("seller", "cancel", jst("2026-03-02 21:00"))
    for actor in (Actor.BUYER, Actor.SELLER, Actor.OPERATOR):
        assert action_options(trade.snapshot, actor, jst("2026-03-03 10:00"), trade.policy) == []

"""mercari-2016: ask the operator from 13:00 on the 8th calendar day after the shipping
notice's date and, if the buyer wrote, from 13:00 on the 3rd day after the buyer's last
message's date — dates taken in Asia/Tokyo whatever zone the times arrive in."""

from datetime import datetime

from furima.process import ErrorCode, State
from tests.process.trades import UTC, TradeUnderTest, jst, purchased_and_shipped


def shipped_trade(shipped="2016-12-09 10:00"):
    return purchased_and_shipped("mercari-2016", purchased="2016-12-08 21:00", shipped=shipped)


def test_seller_may_ask_from_1300_on_the_8th_day_after_shipping():
    trade = shipped_trade()
    early = trade.do("seller", "request_operator", jst("2016-12-17 12:59:59"))
    assert early.code is ErrorCode.TOO_EARLY
    assert early.allowed_from == jst("2016-12-17 13:00")
    assert trade.do("seller", "request_operator", jst("2016-12-17 13:00")).accepted


def test_shipping_late_in_the_day_still_counts_from_its_date():
    trade = shipped_trade(shipped="2016-12-09 23:59")
    decision = trade.do("seller", "request_operator", jst("2016-12-17 12:00"))
    assert decision.allowed_from == jst("2016-12-17 13:00")


def test_a_utc_shipping_time_counts_from_its_japanese_date():
    trade = TradeUnderTest("mercari-2016")
    trade.do("buyer", "purchase", datetime(2016, 12, 8, 12, 0, tzinfo=UTC))
    # 16:30 UTC on the 8th is 01:30 on the 9th in Tokyo: the 8 days count from the 9th.
    trade.do("seller", "ship", datetime(2016, 12, 8, 16, 30, tzinfo=UTC))
    decision = trade.do("seller", "request_operator", datetime(2016, 12, 16, 5, 0, tzinfo=UTC))
    assert decision.code is ErrorCode.TOO_EARLY
    assert decision.allowed_from == jst("2016-12-17 13:00")
    assert decision.allowed_from.utcoffset().total_seconds() == 9 * 3600


def test_a_recent_buyer_message_pushes_the_request_to_1300_three_days_later():
    trade = shipped_trade()
    trade.do("buyer", "message", jst("2016-12-15 23:30"), text="まだ届いていません")
    decision = trade.do("seller", "request_operator", jst("2016-12-17 13:00"))
    assert decision.code is ErrorCode.TOO_EARLY
    assert decision.allowed_from == jst("2016-12-18 13:00")
    assert trade.do("seller", "request_operator", jst("2016-12-18 13:00")).accepted


def test_an_old_buyer_message_does_not_delay_the_eight_day_rule():
    trade = TradeUnderTest("mercari-2016")
    trade.do("buyer", "purchase", jst("2016-12-08 21:00"))
    trade.do("buyer", "message", jst("2016-12-08 21:10"), text="よろしくお願いします")
    trade.do("seller", "ship", jst("2016-12-09 10:00"))
    assert trade.do("seller", "request_operator", jst("2016-12-17 13:00")).accepted


def test_the_operator_rates_on_review_and_nothing_happens_by_itself():
    trade = shipped_trade()
    trade.do("seller", "request_operator", jst("2016-12-17 13:00"))
    assert trade.wait_until(jst("2017-03-01 00:00")) == []
    decision = trade.do("operator", "proxy_rate", jst("2017-03-01 10:00"))
    assert decision.accepted
    assert trade.snapshot.buyer_rating.by.value == "operator"
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING


def test_mercari_took_a_ten_percent_fee_on_completion():
    trade = shipped_trade()
    trade.do("buyer", "rate", jst("2016-12-11 10:00"), rating="good")
    trade.do("seller", "rate", jst("2016-12-11 12:00"), rating="good")
    assert trade.balance("seller") == 2700
    assert trade.balance("platform_fees") == 300
    assert trade.balance("escrow") == 0


def test_buyer_may_cancel_from_the_day_after_the_ship_by_date():
    trade = TradeUnderTest("mercari-2016", ship_within="1-2")
    trade.do("buyer", "purchase", jst("2016-12-08 21:00"))
    # ship within 1-2 days from payment: ship by the end of 12/10
    early = trade.do("buyer", "cancel", jst("2016-12-10 23:59"))
    assert early.code is ErrorCode.TOO_EARLY
    assert early.allowed_from == jst("2016-12-11 00:00")
    assert trade.do("buyer", "cancel", jst("2016-12-11 00:00")).accepted
    assert trade.balance("buyer") == 0

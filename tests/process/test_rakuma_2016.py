"""rakuma-2016: ask the operator 14 days after the shipping notice (only while the buyer is
silent); support rates 良い on the buyer's behalf 3 days after the request."""

from datetime import timedelta

from furima.process import ErrorCode, OperatorRequestStatus, State
from tests.process.trades import UTC, TradeUnderTest, jst, purchased_and_shipped

RAKUMA_COMMENT = "ラクマ・カスタマーサポートより評価いたしました。"


def shipped_trade(**options):
    return purchased_and_shipped(
        "rakuma-2016", purchased="2016-12-08 21:00", shipped="2016-12-09 10:00", **options
    )


def test_seller_may_not_ask_operator_a_second_before_14_days_after_shipping():
    trade = shipped_trade()
    decision = trade.do("seller", "request_operator", jst("2016-12-23 09:59:59"))
    assert decision.code is ErrorCode.TOO_EARLY
    assert decision.allowed_from == jst("2016-12-23 10:00")
    assert trade.snapshot.operator_request is None


def test_seller_may_ask_operator_exactly_14_days_after_shipping():
    trade = shipped_trade()
    decision = trade.do("seller", "request_operator", jst("2016-12-23 10:00"))
    assert decision.accepted
    assert trade.snapshot.operator_request.status is OperatorRequestStatus.OPEN


def test_fourteen_days_are_exact_whatever_the_input_time_zone():
    trade = shipped_trade()
    just_before = jst("2016-12-23 10:00").astimezone(UTC) - timedelta(seconds=1)
    assert trade.do("seller", "request_operator", just_before).code is ErrorCode.TOO_EARLY
    assert trade.do("seller", "request_operator", just_before + timedelta(seconds=1)).accepted


def test_both_parties_are_told_when_the_request_opens():
    trade = shipped_trade()
    decision = trade.do("seller", "request_operator", jst("2016-12-23 15:00"))
    assert set(decision.notify) == {"buyer", "seller"}


def test_a_buyer_message_after_the_shipping_notice_closes_the_operator_route():
    trade = shipped_trade()
    assert trade.do("buyer", "message", jst("2016-12-12 08:00"), text="まだ届きません").accepted
    decision = trade.do("seller", "request_operator", jst("2016-12-24 10:00"))
    assert decision.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_a_buyer_message_before_shipping_does_not_block_the_request():
    trade = TradeUnderTest("rakuma-2016")
    trade.do("buyer", "purchase", jst("2016-12-08 21:00"))
    assert trade.do("buyer", "message", jst("2016-12-08 21:05"), text="よろしく").accepted
    trade.do("seller", "ship", jst("2016-12-09 10:00"))
    assert trade.do("seller", "request_operator", jst("2016-12-23 10:00")).accepted


def test_seller_messages_do_not_block_the_request():
    trade = shipped_trade()
    assert trade.do("seller", "message", jst("2016-12-10 09:00"), text="発送しました").accepted
    assert trade.do("seller", "request_operator", jst("2016-12-23 15:00")).accepted


def test_support_rates_good_for_the_silent_buyer_three_days_after_the_request():
    trade = shipped_trade()
    trade.do("seller", "request_operator", jst("2016-12-23 15:00"))
    assert trade.wait_until(jst("2016-12-26 14:59:59")) == []
    steps = trade.wait_until(jst("2016-12-26 15:00"))
    assert [(s["actor"], s["action"], s["at"]) for s in steps] == [
        ("operator", "proxy_rate", "2016-12-26T15:00:00+09:00")
    ]
    rating = trade.snapshot.buyer_rating
    assert (rating.rating.value, rating.comment, rating.by.value) == (
        "good",
        RAKUMA_COMMENT,
        "operator",
    )
    assert trade.snapshot.operator_request.status is OperatorRequestStatus.PROXY_RATED
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING


def test_the_operator_cannot_rate_for_the_buyer_before_the_three_days():
    trade = shipped_trade()
    trade.do("seller", "request_operator", jst("2016-12-23 15:00"))
    decision = trade.do("operator", "proxy_rate", jst("2016-12-25 15:00"))
    assert decision.code is ErrorCode.TOO_EARLY
    assert decision.allowed_from == jst("2016-12-26 15:00")


def test_a_buyer_who_rates_during_the_three_days_resolves_the_request():
    trade = shipped_trade()
    trade.do("seller", "request_operator", jst("2016-12-23 15:00"))
    assert trade.do("buyer", "rate", jst("2016-12-24 20:00"), rating="normal").accepted
    assert trade.snapshot.operator_request.status is OperatorRequestStatus.RESOLVED_BY_BUYER
    assert trade.wait_until(jst("2017-01-31 00:00")) == []
    assert trade.snapshot.buyer_rating.by.value == "buyer"


def test_nothing_happens_by_itself_without_the_sellers_request():
    trade = shipped_trade()
    assert trade.wait_until(jst("2017-06-01 00:00")) == []
    assert trade.snapshot.state is State.SHIPPED


def test_the_seller_is_paid_only_when_the_trade_completes():
    trade = shipped_trade(price=3000)
    trade.do("seller", "request_operator", jst("2016-12-23 15:00"))
    trade.wait_until(jst("2016-12-26 15:00"))
    assert trade.balance("seller") == 0
    assert trade.balance("escrow") == 3000
    trade.do("seller", "rate", jst("2016-12-30 12:00"), rating="good")
    assert trade.snapshot.state is State.COMPLETED
    assert trade.balance("seller") == 3000  # rakuma-2016 took no fee
    assert trade.balance("escrow") == 0


def test_the_buyer_cannot_cancel_an_unshipped_trade_herself():
    trade = TradeUnderTest("rakuma-2016")
    trade.do("buyer", "purchase", jst("2016-12-08 21:00"))
    decision = trade.do("buyer", "cancel", jst("2016-12-30 10:00"))
    assert decision.code is ErrorCode.FORBIDDEN_ACTOR
    assert trade.do("operator", "cancel", jst("2016-12-30 10:00")).accepted
    assert trade.balance("buyer") == 0

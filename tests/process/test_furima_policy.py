"""furima: the engine evaluates receipt by itself — 13:00 two days after delivery, else 13:00
seven days after shipping; never before 13:00 three days after the buyer's last message;
at most 14 days after shipping; paused while the buyer's problem report is open."""

from furima.process import ErrorCode, OperatorRequestStatus, State
from tests.process.trades import TradeUnderTest, jst, purchased_and_shipped

AUTO_COMMENT = "受取評価の期限が過ぎたため、furimaが自動で受取評価しました。"


def shipped_trade(**options):
    return purchased_and_shipped(
        "furima", purchased="2026-03-02 20:00", shipped="2026-03-03 10:00", **options
    )


def proxy_steps(steps):
    return [s for s in steps if s["action"] == "proxy_rate"]


def test_without_delivery_the_engine_rates_at_1300_seven_days_after_shipping():
    trade = shipped_trade()
    assert proxy_steps(trade.wait_until(jst("2026-03-10 12:59:59"))) == []
    steps = proxy_steps(trade.wait_until(jst("2026-03-10 13:00")))
    assert [(s["actor"], s["at"]) for s in steps] == [("system", "2026-03-10T13:00:00+09:00")]
    rating = trade.snapshot.buyer_rating
    assert (rating.rating.value, rating.comment, rating.by.value) == (
        "good",
        AUTO_COMMENT,
        "system",
    )


def test_a_confirmed_delivery_brings_the_evaluation_to_1300_two_days_later():
    trade = shipped_trade()
    trade.do("carrier", "deliver", jst("2026-03-04 09:00"))
    steps = proxy_steps(trade.wait_until(jst("2026-03-31 00:00")))
    assert steps[0]["at"] == "2026-03-06T13:00:00+09:00"


def test_a_buyer_message_holds_the_evaluation_until_1300_three_days_later():
    trade = shipped_trade()
    trade.do("carrier", "deliver", jst("2026-03-04 09:00"))
    trade.do("buyer", "message", jst("2026-03-05 22:00"), text="箱が潰れていました")
    steps = proxy_steps(trade.wait_until(jst("2026-03-31 00:00")))
    assert steps[0]["at"] == "2026-03-08T13:00:00+09:00"


def test_messages_never_push_the_evaluation_past_14_days_after_shipping():
    trade = shipped_trade()
    for day in range(4, 17):
        at = jst(f"2026-03-{day:02d} 12:00")
        assert trade.do("buyer", "message", at, text="確認中です", timers=False).accepted
    steps = proxy_steps(trade.wait_until(jst("2026-04-30 00:00")))
    assert steps[0]["at"] == "2026-03-17T10:00:00+09:00"


def test_an_open_problem_report_pauses_the_automatic_evaluation():
    trade = shipped_trade()
    assert trade.do("buyer", "report_problem", jst("2026-03-09 10:00"), text="中身が違う").accepted
    assert trade.wait_until(jst("2026-06-01 00:00")) == []
    assert trade.snapshot.state is State.SHIPPED
    assert trade.snapshot.buyer_rating is None


def test_the_operator_resolves_a_problem_report_by_rating_or_cancelling():
    trade = shipped_trade()
    trade.do("buyer", "report_problem", jst("2026-03-09 10:00"), text="中身が違う")
    assert trade.do("operator", "cancel", jst("2026-03-11 10:00"), reason="返品で合意").accepted
    assert trade.snapshot.state is State.CANCELLED
    assert trade.balance("buyer") == 0
    assert trade.balance("escrow") == 0


def test_seller_may_ask_operator_from_1300_five_days_after_shipping():
    trade = shipped_trade()
    early = trade.do("seller", "request_operator", jst("2026-03-08 12:59"))
    assert early.code is ErrorCode.TOO_EARLY
    assert early.allowed_from == jst("2026-03-08 13:00")
    assert trade.do("seller", "request_operator", jst("2026-03-08 13:00")).accepted


def test_the_operator_may_rate_as_soon_as_the_request_is_reviewed():
    trade = shipped_trade()
    trade.do("seller", "request_operator", jst("2026-03-08 13:00"))
    assert trade.do("operator", "proxy_rate", jst("2026-03-08 13:30")).accepted
    assert trade.snapshot.operator_request.status is OperatorRequestStatus.PROXY_RATED


def test_the_operator_cannot_rate_without_a_request_or_problem_report():
    trade = shipped_trade()
    decision = trade.do("operator", "proxy_rate", jst("2026-03-08 13:30"))
    assert decision.code is ErrorCode.NOT_ALLOWED_IN_STATE


def test_the_engine_reminds_the_buyer_3_days_after_shipping_and_the_day_before():
    trade = shipped_trade()
    steps = trade.wait_until(jst("2026-03-10 13:00"))
    reminders = [(s["actor"], s["at"], s["notify"]) for s in steps if s["action"] == "remind"]
    assert reminders == [
        ("system", "2026-03-06T13:00:00+09:00", ["buyer"]),
        ("system", "2026-03-09T13:00:00+09:00", ["buyer"]),
    ]


def test_a_seller_may_remind_the_buyer_at_most_once_a_day():
    trade = shipped_trade()
    assert trade.do("seller", "remind", jst("2026-03-05 09:00"), timers=False).accepted
    again = trade.do("seller", "remind", jst("2026-03-06 08:59"), timers=False)
    assert again.code is ErrorCode.TOO_SOON
    assert again.allowed_from == jst("2026-03-06 09:00")
    assert trade.do("seller", "remind", jst("2026-03-06 09:00"), timers=False).accepted


def test_escrow_goes_to_the_seller_on_the_receipt_evaluation_less_5_percent():
    trade = shipped_trade(price=2999)
    trade.do("buyer", "rate", jst("2026-03-04 20:00"), rating="good")
    assert trade.balance("seller") == 2999 - 149  # the fee is rounded down to the yen
    assert trade.balance("platform_fees") == 149
    assert trade.balance("escrow") == 0


def test_the_trade_completes_without_the_sellers_rating_after_3_days():
    trade = shipped_trade()
    trade.do("buyer", "rate", jst("2026-03-04 20:00"), rating="good")
    steps = trade.wait_until(jst("2026-03-07 19:59:59"))
    assert trade.snapshot.state is State.AWAITING_SELLER_RATING and steps == []
    steps = trade.wait_until(jst("2026-03-07 20:00"))
    assert [(s["actor"], s["action"]) for s in steps] == [("system", "complete")]
    assert trade.snapshot.state is State.COMPLETED
    assert trade.snapshot.seller_rating is None


def test_the_seller_may_still_rate_within_the_window():
    trade = shipped_trade()
    trade.do("buyer", "rate", jst("2026-03-04 20:00"), rating="good")
    assert trade.do("seller", "rate", jst("2026-03-07 19:00"), rating="normal").accepted
    assert trade.snapshot.completed_at == jst("2026-03-07 19:00")


def test_the_buyer_may_cancel_an_unshipped_trade_from_the_day_after_ship_by():
    trade = TradeUnderTest("furima", ship_within="2-3")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))  # ship by the end of 3/5
    assert trade.do("buyer", "cancel", jst("2026-03-05 23:59"), timers=False).code is (
        ErrorCode.TOO_EARLY
    )
    assert trade.do("buyer", "cancel", jst("2026-03-06 00:00"), timers=False).accepted


def test_an_unshipped_trade_is_cancelled_and_refunded_3_days_after_ship_by():
    trade = TradeUnderTest("furima", ship_within="4-7")
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))  # ship by 3/9 23:59
    steps = trade.wait_until(jst("2026-03-31 00:00"))
    assert [(s["actor"], s["action"], s["at"]) for s in steps] == [
        ("system", "cancel", "2026-03-12T23:59:00+09:00")
    ]
    assert trade.snapshot.state is State.CANCELLED
    assert trade.balance("buyer") == 0 and trade.balance("escrow") == 0


def test_reminders_falling_due_at_the_same_moment_reach_the_buyer_once():
    trade = TradeUnderTest("furima")
    trade.do("buyer", "purchase", jst("2016-12-26 21:41"))
    trade.do("seller", "ship", jst("2016-12-27 11:44"))
    trade.do("carrier", "deliver", jst("2016-12-29 02:51"))
    # day 3 at 13:00 (12/30) is also the day before auto-evaluation (12/31 13:00)
    steps = trade.wait_until(jst("2017-01-01 00:00"))
    reminders = [s["at"] for s in steps if s["action"] == "remind"]
    assert reminders == ["2016-12-30T13:00:00+09:00"]

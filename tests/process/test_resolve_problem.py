"""resolve_problem: the operator closes the buyer's problem report (or the buyer withdraws
it); the automatic clock resumes, but under furima not before `problem_resolved_at +
3d@13:00`; under rakuma-2016 and mercari-2016 the trade simply continues."""

from datetime import datetime

import pytest

from furima.process import ErrorCode, State
from tests.process.trades import UTC, jst, purchased_and_shipped

SHIPPED = "2026-03-03 10:00"


def reported(policy: str = "furima", *, at: str = "2026-03-05 10:00"):
    trade = purchased_and_shipped(policy, purchased="2026-03-02 20:00", shipped=SHIPPED)
    assert trade.do("buyer", "report_problem", jst(at), text="中身が違います").accepted
    return trade


def evaluations(steps):
    return [s for s in steps if s["action"] == "proxy_rate"]


def test_the_operator_resolves_the_report_and_both_parties_are_told():
    trade = reported()

    decision = trade.do("operator", "resolve_problem", jst("2026-03-20 10:00"), text="交換済み")

    assert decision.accepted
    assert decision.notify == ("buyer", "seller")
    assert decision.event.data == {"text": "交換済み", "withdrawn": False}
    assert not trade.snapshot.problem_open
    assert trade.snapshot.problem_resolved_at == jst("2026-03-20 10:00")
    assert trade.snapshot.problem_report.closed_at == jst("2026-03-20 10:00")


def test_the_buyer_may_withdraw_their_own_report_and_the_seller_is_told():
    trade = reported()

    decision = trade.do("buyer", "resolve_problem", jst("2026-03-06 09:00"))

    assert (decision.accepted, decision.notify) == (True, ("seller",))
    assert decision.event.data["withdrawn"] is True


@pytest.mark.parametrize("actor", ["seller", "system", "carrier"])
def test_nobody_else_resolves_a_problem(actor):
    trade = reported()

    decision = trade.do(actor, "resolve_problem", jst("2026-03-06 09:00"))

    assert (decision.accepted, decision.code) == (False, ErrorCode.FORBIDDEN_ACTOR)


def test_without_an_open_report_there_is_nothing_to_resolve():
    trade = purchased_and_shipped("furima", purchased="2026-03-02 20:00", shipped=SHIPPED)

    decision = trade.do("operator", "resolve_problem", jst("2026-03-04 09:00"))

    assert (decision.accepted, decision.code) == (False, ErrorCode.NOT_ALLOWED_IN_STATE)


def test_a_resolution_text_over_the_limit_is_invalid_input():
    trade = reported()

    decision = trade.do("operator", "resolve_problem", jst("2026-03-06 09:00"), text="x" * 2001)

    assert (decision.accepted, decision.code) == (False, ErrorCode.INVALID_INPUT)


def test_after_resolution_the_evaluation_waits_until_1300_three_days_later_even_past_the_cap():
    trade = reported()  # the cap (shipped + 14 days) is 2026-03-17 10:00
    trade.do("operator", "resolve_problem", jst("2026-03-20 10:00"))

    assert evaluations(trade.wait_until(jst("2026-03-23 12:59:59"))) == []
    [step] = evaluations(trade.wait_until(jst("2026-03-23 13:00")))

    assert (step["actor"], step["at"]) == ("system", "2026-03-23T13:00:00+09:00")
    assert trade.state == "awaiting_seller_rating"


def test_the_grace_never_brings_the_evaluation_earlier_than_the_normal_rule():
    trade = reported(at="2026-03-03 12:00")
    trade.do("buyer", "resolve_problem", jst("2026-03-03 18:00"))  # grace: 03-06 13:00

    [step] = evaluations(trade.wait_until(jst("2026-03-31 00:00")))

    assert step["at"] == "2026-03-10T13:00:00+09:00"  # shipped + 7d@13:00, as without it


def test_the_grace_counts_calendar_days_in_tokyo_whatever_zone_the_resolution_came_in():
    trade = reported()
    # 16:30 UTC on the 19th is 01:30 on the 20th in Tokyo: the grace ends on the 23rd.
    trade.do("operator", "resolve_problem", datetime(2026, 3, 19, 16, 30, tzinfo=UTC))

    [step] = evaluations(trade.wait_until(jst("2026-03-31 00:00")))

    assert step["at"] == "2026-03-23T13:00:00+09:00"


def test_reminders_due_while_the_report_was_open_do_not_come_during_it():
    trade = reported()

    assert trade.wait_until(jst("2026-03-19 23:59")) == []


@pytest.mark.parametrize("policy", ["rakuma-2016", "mercari-2016"])
def test_under_the_2016_policies_the_trade_simply_continues(policy):
    trade = reported(policy)

    decision = trade.do("operator", "resolve_problem", jst("2026-03-20 10:00"))

    assert decision.accepted
    assert trade.state == State.SHIPPED.value
    assert trade.do("buyer", "rate", jst("2026-03-20 11:00"), rating="good").accepted


def test_under_rakuma_2016_the_operators_automatic_proxy_rating_resumes():
    trade = purchased_and_shipped("rakuma-2016", purchased="2026-03-02 20:00", shipped=SHIPPED)
    assert trade.do("seller", "request_operator", jst("2026-03-17 10:00")).accepted
    reported = trade.do("buyer", "report_problem", jst("2026-03-18 10:00"), text="届きません")
    assert reported.accepted
    assert evaluations(trade.wait_until(jst("2026-03-25 00:00"))) == []  # paused

    trade.do("operator", "resolve_problem", jst("2026-03-25 00:00"))

    [step] = evaluations(trade.wait_until(jst("2026-03-31 00:00")))
    assert (step["actor"], step["at"]) == ("operator", "2026-03-25T00:00:00+09:00")


def test_a_new_report_after_a_resolution_pauses_the_clock_again():
    trade = reported()
    trade.do("operator", "resolve_problem", jst("2026-03-20 10:00"))
    assert trade.do("buyer", "report_problem", jst("2026-03-21 10:00"), text="再発").accepted

    assert evaluations(trade.wait_until(jst("2026-04-30 00:00"))) == []
    assert trade.snapshot.problem_open


def test_the_grace_instant_is_the_auto_complete_deadline_the_screen_shows():
    from furima.process import deadlines

    trade = reported()
    trade.do("operator", "resolve_problem", jst("2026-03-20 10:00"))

    found = deadlines(trade.snapshot, trade.policy)

    assert found.auto_complete_at == jst("2026-03-23 13:00")
    # Day 3's reminder, held while the report was open, is due at once when the clock resumes.
    assert found.reminder_at == jst("2026-03-06 13:00")

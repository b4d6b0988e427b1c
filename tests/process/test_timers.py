"""The one timer loop (process/timers.py): which timer fires, when it is applied, and the
stale-reminder rule — a reminder overtaken by a later timer that is also due is skipped."""

from furima.process import Action, Actor, Command, ErrorCode, TradeSnapshot, decide
from furima.process.timers import fire_due_timers, next_timer_step
from tests.process.trades import UTC, jst, purchased_and_shipped

# furima: reminders at shipped + 3d@13:00 and the day before the evaluation; without a
# delivery the evaluation is at 13:00 seven days after shipping.
SHIPPED = "2026-03-03 10:00"
FIRST_REMINDER = jst("2026-03-06 13:00")
SECOND_REMINDER = jst("2026-03-09 13:00")
EVALUATION = jst("2026-03-10 13:00")


def shipped_snapshot() -> tuple[TradeSnapshot, object]:
    trade = purchased_and_shipped("furima", purchased="2026-03-02 20:00", shipped=SHIPPED)
    return trade.snapshot, trade.policy


def test_on_time_each_reminder_is_sent_at_its_own_moment():
    snapshot, policy = shipped_snapshot()

    steps = list(fire_due_timers(snapshot, policy, until=EVALUATION))

    assert [(s.command.action, s.at, s.due_at) for s in steps] == [
        (Action.REMIND, FIRST_REMINDER, FIRST_REMINDER),
        (Action.REMIND, SECOND_REMINDER, SECOND_REMINDER),
        (Action.PROXY_RATE, EVALUATION, EVALUATION),
    ]
    assert [s.decision.notify for s in steps[:2]] == [("buyer",), ("buyer",)]
    assert not any(s.decision.event.data.get("skipped") for s in steps)


def test_catching_up_after_downtime_skips_the_reminders_the_evaluation_overtook():
    snapshot, policy = shipped_snapshot()
    now = jst("2026-03-11 08:00")  # the worker was down from before day 3 until now

    steps = list(fire_due_timers(snapshot, policy, until=now, clock=now))

    remind, evaluate = steps  # both due reminders were one reminder, as when sent on time
    assert (remind.command.action, remind.due_at, remind.at) == (
        Action.REMIND,
        FIRST_REMINDER,
        now,
    )
    assert remind.decision.notify == ()
    assert remind.decision.event.data == {
        "reminder": 0,
        "skipped": True,
        "overtaken_by": "auto_complete_at",
    }
    assert remind.decision.snapshot.reminders_sent == frozenset({0, 1})  # never sent later
    assert (evaluate.command.action, evaluate.due_at, evaluate.at) == (
        Action.PROXY_RATE,
        EVALUATION,
        now,
    )
    assert evaluate.decision.notify == ("buyer", "seller")


def test_a_late_reminder_still_goes_out_while_the_evaluation_is_not_yet_due():
    snapshot, policy = shipped_snapshot()
    now = jst("2026-03-10 12:59")  # late for both reminders, one minute before evaluation

    [step] = fire_due_timers(snapshot, policy, until=now, clock=now)

    assert (step.due_at, step.at, step.decision.notify) == (FIRST_REMINDER, now, ("buyer",))
    assert "skipped" not in step.decision.event.data


def test_the_evaluation_due_exactly_when_the_reminder_is_applied_overtakes_it():
    snapshot, policy = shipped_snapshot()

    step = next_timer_step(snapshot, policy, until=EVALUATION, clock=EVALUATION)

    assert step.command.overtaken_by == "auto_complete_at"
    assert step.decision.event.data["skipped"] is True


def test_times_are_compared_as_instants_whatever_the_callers_zone():
    snapshot, policy = shipped_snapshot()
    now = EVALUATION.astimezone(UTC)  # 04:00 UTC is 13:00 in Tokyo

    steps = list(fire_due_timers(snapshot, policy, until=now, clock=now))

    assert [s.decision.event.data.get("skipped", False) for s in steps] == [True, False]


def test_nothing_fires_before_the_first_timer_is_due():
    snapshot, policy = shipped_snapshot()
    assert next_timer_step(snapshot, policy, until=jst("2026-03-06 12:59:59")) is None


def test_the_engine_refuses_a_reminder_claimed_stale_when_nothing_overtook_it():
    snapshot, policy = shipped_snapshot()
    command = Command(Actor.SYSTEM, Action.REMIND, overtaken_by="auto_complete_at")

    decision = decide(snapshot, command, FIRST_REMINDER, policy)

    assert (decision.accepted, decision.code) == (False, ErrorCode.INVALID_INPUT)


def test_the_timeline_shows_when_a_timer_step_was_due():
    trade = purchased_and_shipped("furima", purchased="2026-03-02 20:00", shipped=SHIPPED)

    steps = trade.wait_until(EVALUATION)

    assert [(s["action"], s["due_at"]) for s in steps] == [
        ("remind", "2026-03-06T13:00:00+09:00"),
        ("remind", "2026-03-09T13:00:00+09:00"),
        ("proxy_rate", "2026-03-10T13:00:00+09:00"),
    ]
    assert "due_at" not in trade.replay.steps[0]  # a party's step has no due time

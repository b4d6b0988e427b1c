"""The engine's own steps: fire the timers that are due, in order, each through ``decide``.

One rule for every caller — ``furima timeline`` (the replayer), the simulator and the worker —
so paper, simulation and production can never disagree about which timer fires next, at what
time it is applied, or whether a reminder is still worth sending:

* the next timer is ``deadlines(snapshot).next_timer``; it fires if it is due at or before
  ``until``;
* it is applied at its own due time, or at ``clock`` if that is later (the replayer's last
  step; the worker's "now" when it catches up);
* **a stale reminder is skipped**: when the reminder's moment has been overtaken by a later
  timer that is also due at the time it is applied (a worker catching up after downtime
  finds the day-3 reminder and the automatic evaluation both due), the buyer is not told
  「受取評価のお願い」 in the same instant the engine rates for them. The engine records the
  reminder as sent but skipped (``data["skipped"]``, nobody notified), and the later timer
  fires next.

Every step keeps both instants: ``timer.at`` (when it was due) and ``at`` (when applied).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from furima.process.commands import Command
from furima.process.deadlines import Timer, deadlines
from furima.process.engine import Decision, decide
from furima.process.model import Action, Actor, TradeSnapshot
from furima.process.policy import Policy

MAX_TIMER_STEPS = 1000
"""More timer steps than this without a party acting means the policy loops."""

REMINDER_TIMER = "reminder_at"
OVERTAKING_TIMERS = ("proxy_rate_at", "auto_complete_at")
"""The timers that end the buyer's wait: once one of them is due, a reminder is stale."""


class TimerLoop(RuntimeError):
    """Timers kept firing without end: a policy whose timers re-arm themselves."""


class TimerStep(NamedTuple):
    """One timer that fell due: when it was due (`timer.at`), when it was applied (`at`),
    the command the engine's own actor sent and the engine's decision."""

    timer: Timer
    at: datetime
    command: Command
    decision: Decision

    @property
    def due_at(self) -> datetime:
        return self.timer.at


_COMMANDS: dict[tuple[Actor, Action, str], Command] = {}


def _command(timer: Timer, overtaken_by: str = "") -> Command:
    """The timer's command (shared instances: the simulator fires millions of them)."""
    key = (timer.actor, timer.action, overtaken_by)
    command = _COMMANDS.get(key)
    if command is None:
        command = _COMMANDS[key] = Command(timer.actor, timer.action, overtaken_by=overtaken_by)
    return command


def next_timer_step(
    snapshot: TradeSnapshot, policy: Policy, until: datetime, clock: datetime | None = None
) -> TimerStep | None:
    """The next timer due at or before `until`, decided (applied at its due time or at
    `clock` if later); None when nothing is due by then."""
    found = deadlines(snapshot, policy)
    timer = found.next_timer
    if timer is None or timer.at > until:
        return None
    at = timer.at if clock is None or timer.at > clock else clock
    overtaken_by = ""
    if timer.name == REMINDER_TIMER:
        for name in OVERTAKING_TIMERS:
            later = getattr(found, name)
            if later is not None and later <= at:
                overtaken_by = name
                break
    command = _command(timer, overtaken_by)
    return TimerStep(timer, at, command, decide(snapshot, command, at, policy))


def fire_due_timers(
    snapshot: TradeSnapshot, policy: Policy, until: datetime, clock: datetime | None = None
) -> Iterator[TimerStep]:
    """Every timer due at or before `until`, in order, each decided on the snapshot the
    previous one left. Stops after a rejected step (a due timer the engine refuses is a bug
    the caller reports); raises `TimerLoop` if timers keep firing without end."""
    for _ in range(MAX_TIMER_STEPS):
        step = next_timer_step(snapshot, policy, until, clock)
        if step is None:
            return
        yield step
        if not step.decision.accepted:
            return
        snapshot, clock = step.decision.snapshot, step.at
    raise TimerLoop("timers keep firing without end; the policy loops")

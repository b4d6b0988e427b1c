"""`furima clock`: show the clock; in demo mode, `furima clock --forward 14d` jumps ahead
(for every web and worker process, as the shift is stored in the database)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from furima import clock
from furima.trades.services import clock_shift_forward

_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str) -> timedelta:
    """`14d`, `3h`, `1d12h`, `90m`."""
    parts = re.findall(r"(\d+)([dhms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise CommandError(f"not a duration: {text!r} (write e.g. 14d, 3h, 1d12h)")
    return timedelta(**{_UNITS[unit]: int(number) for number, unit in parts})


class Command(BaseCommand):
    help = "Show the current time; in demo mode (FURIMA_DEMO=1) move it forward."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--forward", metavar="DURATION", help="e.g. 14d, 3h, 1d12h")

    def handle(self, *args, forward: str | None, **options) -> None:
        if forward:
            # A refusal (FurimaError) leaves as the CLI's one line and exit status 2.
            shift = clock_shift_forward(by=parse_duration(forward))
            self.stdout.write(f"shifted; the clock is now {shift} ahead of real time")
        self.stdout.write(timezone.localtime(clock.now()).isoformat(timespec="seconds"))

"""Time rules: small expressions over named anchors, evaluated in the policy's time zone.

A rule reads ``ANCHOR [+|- OFFSET]``, for example::

    shipped_at + 14d          exactly 14 × 24 hours later
    shipped_at + 8d@13:00     13:00 local time on the 8th calendar day after the local date
    operator_request_opened_at + 3bd   3 business days later, same local time of day
    last_buyer_message_at + 3bd@13:00  13:00 on the 3rd business day after the local date
    auto_complete_at - 1d     exactly a day before
    purchased_at + {ship_within}d@23:59   the listing's ship-within days (2, 3 or 7)

Units: ``d`` (days), ``h`` (hours), ``m`` (minutes), ``bd`` (business days: not Saturday,
Sunday or a Japanese public holiday, from the maintained ``holidays`` package). ``@HH:MM``
is only meaningful for ``d`` and ``bd`` and pins the local time of day.

Rules are parsed once when a policy is loaded; evaluating one is a few datetime operations,
because the engine evaluates many of them per step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SHIP_WITHIN_PLACEHOLDER = "{ship_within}"
_BY_DAY_LIMIT = 4096

_DayKey = tuple[date, ZoneInfo, int]
"""(local date, zone, ship-within days): what a rule pinned to a time of day depends on."""

_RULE_RE = re.compile(
    r"""^\s*(?P<anchor>[a-z_]+)
        (?:\s*(?P<sign>[+-])\s*
           (?P<count>\d+|\{ship_within\})
           (?P<unit>bd|d|h|m)
           (?:@(?P<hh>\d{1,2}):(?P<mm>\d{2}))?
        )?\s*$""",
    re.VERBOSE,
)


class RuleSyntaxError(ValueError):
    """A time rule that cannot be parsed; the message says why."""


@lru_cache(maxsize=4)
def _japanese_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("JP")


@lru_cache(maxsize=8192)
def is_business_day(day: date) -> bool:
    """Weekdays that are not Japanese public holidays (substitute holidays included)."""
    return day.weekday() < 5 and day not in _japanese_holidays()


def add_business_days(day: date, count: int) -> date:
    """The date `count` business days after (or before, if negative) `day`."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day):
            remaining -= 1
    return day


@dataclass(frozen=True, slots=True)
class TimeRule:
    """A parsed time rule. `count` is None when it is the listing's ship-within days."""

    text: str
    anchor: str
    sign: int = 1
    count: int | None = 0
    unit: str = "d"
    time_of_day: time | None = None
    exact: timedelta | None = None  # precomputed for exact offsets with a fixed count
    # Rules without a time of day whose offset is not fixed: the last (anchor instant, zone,
    # days, result), since a trade's anchors rarely change from one step to the next. One
    # tuple, replaced whole, so a racing thread never sees half of it.
    _last: tuple[datetime | None, ZoneInfo | None, int | None, datetime | None] = field(
        default=(None, None, None, None), compare=False, repr=False
    )
    # A rule pinned to a time of day ("+ 8d@13:00") answers the same for every instant of one
    # local date: answers by (local date, zone, ship-within days), so a million simulated
    # trades over a few hundred dates compute each answer once. Cleared when it grows past
    # _BY_DAY_LIMIT.
    _by_day: dict[_DayKey, datetime] = field(default_factory=dict, compare=False, repr=False)

    def at(
        self,
        anchors: Mapping[str, datetime | None],
        zone: ZoneInfo,
        ship_within_days: int = 0,
    ) -> datetime | None:
        """The instant this rule names, or None when its anchor has not happened."""
        base = anchors.get(self.anchor)
        if base is None:
            return None
        return self.after(base, zone, ship_within_days)

    def after(self, base: datetime, zone: ZoneInfo, ship_within_days: int = 0) -> datetime:
        """The instant this rule names once its anchor happened at `base` (the compiled
        deadline computation, process/schedule.py, reads the anchors itself)."""
        if self.exact is not None:
            return base + self.exact
        moment = self.time_of_day
        if moment is not None:
            # Pinned to a time of day: one answer per local date (the common rule, and the
            # inner loop of every deadline computation: no further call when it is known).
            local = base if base.tzinfo is zone else base.astimezone(zone)
            key = (local.date(), zone, ship_within_days)
            found = self._by_day.get(key)
            if found is None:
                found = self._on_day(key, moment)
            return found
        last_base, last_zone, last_days, found = self._last
        same = last_base is base and last_zone is zone and last_days == ship_within_days
        if same and found is not None:
            return found
        found = self._offset_from(base, zone, ship_within_days)
        object.__setattr__(self, "_last", (base, zone, ship_within_days, found))
        return found

    def _count(self, ship_within_days: int) -> int:
        count = ship_within_days if self.count is None else self.count
        return count * self.sign

    def _on_day(self, key: _DayKey, moment: time) -> datetime:
        """The answer for one local date (`key`: date, zone, ship-within days), remembered."""
        day, zone, ship_within_days = key
        if len(self._by_day) >= _BY_DAY_LIMIT:
            self._by_day.clear()
        found = datetime.combine(self._local_date(day, self._count(ship_within_days)), moment, zone)
        self._by_day[key] = found
        return found

    def _offset_from(self, base: datetime, zone: ZoneInfo, ship_within_days: int) -> datetime:
        """A rule without a time of day whose offset is not a fixed duration: the listing's
        ship-within days, or business days at the anchor's own local time of day."""
        count = self._count(ship_within_days)
        unit = self.unit
        if unit == "d":
            return base + timedelta(days=count)  # exact: the zone does not matter
        if unit == "h":
            return base + timedelta(hours=count)
        if unit == "m":
            return base + timedelta(minutes=count)
        local = base if base.tzinfo is zone else base.astimezone(zone)
        return datetime.combine(self._local_date(local.date(), count), local.time(), zone)

    def _local_date(self, day: date, count: int) -> date:
        if self.unit == "bd":
            return add_business_days(day, count)
        return day + timedelta(days=count)


def parse_rule(text: object, *, allowed_anchors: frozenset[str]) -> TimeRule:
    """Parse one rule, checking that its anchor is one the rule may refer to."""
    if not isinstance(text, str):
        raise RuleSyntaxError(f"a time rule is a string like 'shipped_at + 14d', not {text!r}")
    match = _RULE_RE.match(text)
    if match is None:
        raise RuleSyntaxError(
            f"cannot read time rule {text!r}: expected ANCHOR + N(d|bd|h|m)[@HH:MM], "
            "e.g. 'shipped_at + 8d@13:00'"
        )
    anchor = match["anchor"]
    if anchor not in allowed_anchors:
        known = ", ".join(sorted(allowed_anchors))
        raise RuleSyntaxError(f"unknown anchor {anchor!r} in {text!r}; use one of {known}")
    if match["sign"] is None:
        return TimeRule(text=text, anchor=anchor, exact=timedelta(0))
    count_text = match["count"]
    count = None if count_text == SHIP_WITHIN_PLACEHOLDER else int(count_text)
    unit = match["unit"]
    time_of_day = None
    if match["hh"] is not None:
        if unit not in ("d", "bd"):
            raise RuleSyntaxError(f"'@HH:MM' only follows days or business days, in {text!r}")
        hours, minutes = int(match["hh"]), int(match["mm"])
        if hours > 23 or minutes > 59:
            raise RuleSyntaxError(f"no such time of day {hours:02d}:{minutes:02d} in {text!r}")
        time_of_day = time(hours, minutes)
    sign = 1 if match["sign"] == "+" else -1
    exact = None
    if count is not None and time_of_day is None and unit in _EXACT_UNITS:
        exact = timedelta(**{_EXACT_UNITS[unit]: sign * count})
    return TimeRule(
        text=text,
        anchor=anchor,
        sign=sign,
        count=count,
        unit=unit,
        time_of_day=time_of_day,
        exact=exact,
    )


_EXACT_UNITS = {"d": "days", "h": "hours", "m": "minutes"}

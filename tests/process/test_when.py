"""Time rules: exact durations, calendar days at a local time, and Japanese business days."""

from datetime import date, datetime

import pytest

from furima.process.policy import EVENT_ANCHORS
from furima.process.when import RuleSyntaxError, add_business_days, is_business_day, parse_rule
from tests.process.trades import JST, UTC, jst

ANCHORS = EVENT_ANCHORS | {"ship_by", "auto_complete_at"}


def at(rule: str, anchor: datetime, **extra):
    parsed = parse_rule(rule, allowed_anchors=ANCHORS)
    return parsed.at({parsed.anchor: anchor}, JST, **extra)


def test_exact_days_keep_the_time_of_day():
    assert at("shipped_at + 14d", jst("2016-12-09 10:00")) == jst("2016-12-23 10:00")


def test_calendar_days_at_a_time_count_from_the_tokyo_date():
    # 15:30 UTC on 12/8 is already 00:30 on 12/9 in Tokyo.
    shipped = datetime(2016, 12, 8, 15, 30, tzinfo=UTC)
    assert at("shipped_at + 8d@13:00", shipped) == jst("2016-12-17 13:00")


def test_calendar_days_at_a_time_ignore_the_anchors_time_of_day():
    assert at("shipped_at + 8d@13:00", jst("2016-12-09 00:00")) == jst("2016-12-17 13:00")
    assert at("shipped_at + 8d@13:00", jst("2016-12-09 23:59")) == jst("2016-12-17 13:00")


def test_local_time_rules_answer_in_tokyo_time():
    result = at("shipped_at + 1bd@09:00", datetime(2016, 12, 8, 0, 0, tzinfo=UTC))
    assert result.utcoffset().total_seconds() == 9 * 3600
    assert result == jst("2016-12-09 09:00")


def test_exact_rules_are_the_same_instant_in_any_zone():
    result = at("shipped_at + 1d", datetime(2016, 12, 8, 0, 0, tzinfo=UTC))
    assert result == jst("2016-12-09 09:00")


def test_minus_an_exact_day():
    assert at("auto_complete_at - 1d", jst("2026-03-10 13:00")) == jst("2026-03-09 13:00")


def test_the_listings_ship_within_days_fill_the_placeholder():
    rule = "purchased_at + {ship_within}d@23:59"
    assert at(rule, jst("2026-03-02 20:00"), ship_within_days=3) == jst("2026-03-05 23:59")


def test_business_days_skip_weekends():
    friday = jst("2026-03-06 10:00")
    assert at("operator_request_opened_at + 1bd", friday) == jst("2026-03-09 10:00")


def test_business_days_skip_japanese_public_holidays_golden_week_2026():
    # 4/29 昭和の日, 5/3 (Sun) 憲法記念日 → 5/6 振替休日, 5/4 みどりの日, 5/5 こどもの日
    tuesday = jst("2026-04-28 11:00")
    assert at("operator_request_opened_at + 3bd@13:00", tuesday) == jst("2026-05-07 13:00")


def test_holiday_calendar_knows_substitute_holidays():
    assert not is_business_day(date(2026, 5, 6))  # 振替休日
    assert not is_business_day(date(2027, 1, 11))  # 成人の日 (2nd Monday of January)
    assert is_business_day(date(2026, 5, 7))


def test_business_days_from_a_holiday_start_on_the_next_working_day():
    assert add_business_days(date(2026, 1, 1), 1) == date(2026, 1, 2)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("shipped_at + 14", "cannot read time rule"),
        ("shipped + 14d", "unknown anchor"),
        ("shipped_at + 3h@13:00", "only follows days"),
        ("shipped_at + 8d@25:00", "no such time of day"),
        ("shipped_at * 2d", "cannot read time rule"),
        (14, "is a string"),
    ],
)
def test_bad_rules_say_what_is_wrong(text, reason):
    with pytest.raises(RuleSyntaxError, match=reason):
        parse_rule(text, allowed_anchors=ANCHORS)

"""The inquiry SLA: N Japanese business days (weekends and public holidays skipped, by the
engine's own business-day rule), same local time of day, in Asia/Tokyo."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from furima.process.when import is_business_day
from furima.support.sla import inquiry_due_at

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(*parts) -> datetime:
    return datetime(*parts, tzinfo=TOKYO)


def test_one_business_day_skips_the_emperors_birthday_and_the_weekend():
    # Thursday 2016-12-22 20:00; 12-23 (Fri) was a holiday, then Saturday and Sunday.
    assert inquiry_due_at(jst(2016, 12, 22, 20, 0), business_days=1) == jst(2016, 12, 26, 20, 0)


def test_the_year_end_counts_only_public_holidays_and_weekends():
    # 2016-12-30 (Fri) + 1: 12-31 Sat, 1-1 Sun, 1-2 substitute holiday → Tuesday 1-3.
    assert inquiry_due_at(jst(2016, 12, 30, 10, 0), business_days=1) == jst(2017, 1, 3, 10, 0)


def test_new_years_day_and_coming_of_age_day():
    # 2018-01-05 (Fri) + 2: 6-7 weekend, 8 成人の日 → 9 (1st), 10 (2nd).
    assert inquiry_due_at(jst(2018, 1, 5, 9, 30), business_days=2) == jst(2018, 1, 10, 9, 30)


def test_golden_week_is_skipped():
    # 2019-04-26 (Fri) + 1: the ten-day Golden Week of the imperial succession → 5-7.
    assert inquiry_due_at(jst(2019, 4, 26, 18, 0), business_days=1) == jst(2019, 5, 7, 18, 0)


def test_an_instant_given_in_utc_is_counted_on_the_tokyo_date():
    # 2016-12-22 14:00 UTC is 12-22 23:00 in Tokyo (still Thursday there).
    received = datetime(2016, 12, 22, 14, 0, tzinfo=ZoneInfo("UTC"))
    assert inquiry_due_at(received, business_days=1) == jst(2016, 12, 26, 23, 0)


def test_the_number_of_business_days_is_a_setting(settings):
    settings.FURIMA_INQUIRY_SLA_BUSINESS_DAYS = 3
    # Monday 2026-03-02 + 3 business days → Thursday 03-05.
    assert inquiry_due_at(jst(2026, 3, 2, 10, 0)) == jst(2026, 3, 5, 10, 0)


@pytest.mark.parametrize("days_after", range(10))
def test_around_the_year_end_the_due_date_is_always_a_business_day(days_after):
    received = jst(2026, 12, 26, 12, 0) + timedelta(days=days_after)
    due = inquiry_due_at(received, business_days=1)
    assert is_business_day(due.date())

"""The inquiry SLA: staff answer within N Japanese business days (FURIMA_INQUIRY_SLA_BUSINESS_DAYS).

Counted with the engine's own business-day rule (`furima.process.when`: weekends and Japanese
public holidays from the `holidays` package), at the same local time of day, in Asia/Tokyo:
one business day from Thursday 2016-12-22 20:00 is Monday 12-26 20:00 (12-23 was the
Emperor's Birthday).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from furima.process.when import add_business_days

TOKYO = ZoneInfo("Asia/Tokyo")


def inquiry_due_at(received_at: datetime, *, business_days: int | None = None) -> datetime:
    """When staff owe an answer to a message received at `received_at`."""
    if business_days is None:
        business_days = settings.FURIMA_INQUIRY_SLA_BUSINESS_DAYS
    local = received_at.astimezone(TOKYO)
    day = add_business_days(local.date(), business_days)
    return datetime.combine(day, local.time(), TOKYO)

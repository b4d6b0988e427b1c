"""Formatting every page, mail and service text shares: yen amounts and deadlines, per the
active language. Plain functions, so any layer may use them; the templates get them as
filters from `web/templatetags/furima_format.py`.

Times are shown in Asia/Tokyo (the zone the rules are evaluated in) whatever the visitor's
browser says, so "13:00" on the page is the 13:00 of the policy.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache

from django.utils import formats as django_formats
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from furima import clock


def yen(amount) -> str:
    """3000 → "3,000円" (ja) / "¥3,000" (en)."""
    if amount is None or amount == "":
        return ""
    return _("¥%(amount)s") % {"amount": f"{int(amount):,}"}


def when(moment: datetime | None) -> str:
    """A deadline as people say it: "12月23日 14:05" / "Dec 23, 14:05" (Tokyo time)."""
    if moment is None:
        return ""
    local = localtime(moment)
    return f"{_month_day(local.date(), get_language())} {local:%H:%M}"


@lru_cache(maxsize=1024)
def _month_day(day: date, language: str) -> str:
    """The day in the language's own words (Django's MONTH_DAY_FORMAT). Remembered per day
    and language: Django's date formatting was two thirds of `when`, and a trade page shows
    a handful of moments on a few days."""
    return django_formats.date_format(day, "MONTH_DAY_FORMAT")


def when_full(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return django_formats.date_format(localtime(moment), "DATETIME_FORMAT")


def remaining(moment: datetime | None, now: datetime | None = None) -> str:
    """How long until `moment` by the furima clock, one rule for every countdown on every
    screen: rounded *up* below a day ("あと5時間" while 4h01m are left, never "あと4時間"),
    to the nearest whole day from a day on (exactly 3 days away reads "あと3日" even a
    moment later); "" once the moment has passed (say "overdue" instead, see `is_past`)."""
    if moment is None:
        return ""
    seconds = (moment - (now or clock.now())).total_seconds()
    if seconds <= 0:
        return ""
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d minute left", "%(count)d minutes left", minutes) % {
            "count": minutes
        }
    hours = math.ceil(seconds / 3600)
    if hours < 24:
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    days = max(1, math.floor(hours / 24 + 0.5))
    return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}


def is_past(moment: datetime | None) -> bool:
    """Whether a deadline has passed by the furima clock."""
    return moment is not None and moment <= clock.now()


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def lang_attr(text) -> str:
    """` lang="ja"` for Japanese text shown on a page in another language (so screen
    readers pronounce an item title written in Japanese as Japanese), else nothing."""
    if text and get_language() != "ja" and _JAPANESE.search(str(text)):
        return mark_safe(' lang="ja"')
    return ""


def linebreaks_indent(text) -> str:
    """A quoted text in a plain-text mail, each line indented by two spaces."""
    return "\n  ".join(str(text).splitlines())

"""Formatting every page shares: yen amounts and deadlines, per the active language.

Times are shown in Asia/Tokyo (the zone the rules are evaluated in) whatever the visitor's
browser says, so "13:00" on the page is the 13:00 of the policy.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from furima import clock

register = template.Library()


@register.filter
def yen(amount) -> str:
    """3000 → "3,000円" (ja) / "¥3,000" (en)."""
    if amount is None or amount == "":
        return ""
    return _("¥%(amount)s") % {"amount": f"{int(amount):,}"}


@register.filter
def when(moment: datetime | None) -> str:
    """A deadline as people say it: "12月23日 14:05" / "Dec 23, 14:05" (Tokyo time)."""
    if moment is None:
        return ""
    local = localtime(moment)
    day = formats.date_format(local, "MONTH_DAY_FORMAT")
    return f"{day} {local:%H:%M}"


@register.filter
def when_full(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(localtime(moment), "DATETIME_FORMAT")


@register.simple_tag
def remaining(moment: datetime | None) -> str:
    """How long until `moment` by the furima clock: "あと3日" / "3 days left"."""
    if moment is None:
        return ""
    seconds = (moment - clock.now()).total_seconds()
    if seconds <= 0:
        return _("now")
    days = int(seconds // 86400)
    if days >= 1:
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    hours = max(1, int(seconds // 3600))
    return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}

"""Template context every page gets."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from furima import clock
from furima.notify.badge import inbox_unread_count


def furima(request) -> dict:
    """The furima clock's "now" (shifted in demo mode) and whether to show the clock control."""
    user = getattr(request, "user", None)
    demo = bool(settings.FURIMA_DEMO)
    signed_in = user is not None and user.is_authenticated
    return {
        # Counted only when a page shows it (one query); 0 for visitors.
        "inbox_unread": SimpleLazyObject(lambda: inbox_unread_count(user=user)) if signed_in else 0,
        "furima_now": clock.now(),
        "demo_clock": demo and user is not None and user.is_authenticated and user.is_staff,
        "demo_mode": demo,
    }

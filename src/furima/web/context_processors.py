"""Template context every page gets."""

from django.conf import settings

from furima import clock


def furima(request) -> dict:
    """The furima clock's "now" (shifted in demo mode) and whether to show the clock control."""
    user = getattr(request, "user", None)
    demo = bool(settings.FURIMA_DEMO)
    return {
        "furima_now": clock.now(),
        "demo_clock": demo and user is not None and user.is_authenticated and user.is_staff,
        "demo_mode": demo,
    }

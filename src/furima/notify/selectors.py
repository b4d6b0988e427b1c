"""Reads from the mail outbox. (The in-app inbox reads the trade events themselves:
`furima.trades.selectors.notifications_for_user`.)"""

from __future__ import annotations

from django.db.models import QuerySet

from furima import clock
from furima.notify.models import Notification, Status


def notifications_for_event(*, event_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(event_id=event_id).order_by("recipient_id", "channel")


def notifications_due_count() -> int:
    """Pending notices whose time has come: the delivery backlog, for monitoring."""
    return Notification.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=clock.now()
    ).count()

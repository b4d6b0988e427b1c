"""Reads from the mail outbox. (The in-app inbox reads the trade events themselves:
`furima.trades.selectors.notifications_for_user`.)"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from furima import clock
from furima.notify.models import Notification, Status


def notifications_for_event(*, event_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(event_id=event_id).order_by("recipient_id", "channel")


def notifications_due_count() -> int:
    """Pending notices whose time has come: the delivery backlog, for monitoring."""
    return Notification.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=clock.now()
    ).count()


def notifications_backlog() -> dict[str, int]:
    """Outbox rows still to send (`pending`, due or not) and given up on (`failed`): for
    the health endpoint and the metrics."""
    counts = dict(
        Notification.objects.filter(status__in=[Status.PENDING, Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {"pending": counts.get(Status.PENDING, 0), "failed": counts.get(Status.FAILED, 0)}

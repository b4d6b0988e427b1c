"""Reads from the mail outbox. (The in-app inbox reads the trade events themselves:
`furima.trades.selectors.notifications_for_user`.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet, Subquery

from furima.notify.models import (
    ITEM_TOPICS,
    Channel,
    Notification,
    NotificationSettings,
    Status,
)
from furima.trades.selectors import notifications_count_for_user, notifications_for_user
from furima.trades.wording import person, sentence, subject


def notifications_for_event(*, event_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(event_id=event_id).order_by("recipient_id", "channel")


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


def notification_settings_get(*, user) -> NotificationSettings:
    """The user's choices; an unsaved default row if they never chose (reads never write)."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


INBOX_WINDOW = 50


def inbox_unread_count(*, user) -> int:
    """How many inbox lines arrived since the user last marked them read (counted over the
    recent window the inbox shows), in one query: the read mark is read inside it."""
    read_at = NotificationSettings.objects.filter(user=user).values("inbox_read_at")[:1]
    return notifications_count_for_user(user=user, after=Subquery(read_at), limit=INBOX_WINDOW)


@dataclass(frozen=True)
class InboxLine:
    trade_id: int
    title: str
    text: str  # who did what: 「はなこさんが発送しました」
    at: datetime
    unread: bool


def inbox_lines(*, user, limit: int = 20) -> list[InboxLine]:
    """The in-app inbox as sentences for `user`, newest first, unread ones marked."""
    read_at = (
        NotificationSettings.objects.filter(user=user)
        .values_list("inbox_read_at", flat=True)
        .first()
    )
    lines = []
    for event in notifications_for_user(user=user, limit=limit):
        trade = event.trade
        reader = "buyer" if trade.buyer_id == user.pk else "seller"
        other = trade.seller if reader == "buyer" else trade.buyer
        name = person(other) if event.actor in ("buyer", "seller") else None
        who = subject(actor=event.actor, reader=reader, name=name)
        lines.append(
            InboxLine(
                trade_id=trade.pk,
                title=trade.listing.title,
                text=sentence(action=event.action, actor=event.actor, who=who),
                at=event.at,
                unread=read_at is None or event.at > read_at,
            )
        )
    return lines


def chosen_language(*, user) -> str:
    """The language the user chose for pages and mails, "" if none."""
    found = (
        NotificationSettings.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return found or ""


def item_notices_for(*, user, limit: int = 10) -> QuerySet[Notification]:
    """The in-app notices about items (questions and answers, price drops on liked items),
    newest first."""
    from_topic = Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, topic__in=ITEM_TOPICS
    )
    return from_topic.order_by("-created_at", "-id")[:limit]

"""Reads from the outbox, and the in-app inbox: the trade steps that told the user (read from
the trade events themselves, `furima.trades.selectors.notifications_for_user`) merged with
every other in-app notice row (questions, price drops, payouts, support)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, QuerySet

from furima.notify.models import (
    Channel,
    InboxEventRead,
    Notification,
    NotificationSettings,
    Status,
)
from furima.pagination import BadCursor
from furima.trades.selectors import notifications_for_user
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


def _seen(user) -> Exists:
    """Whether the user marked a trade step's line read on its own (per step, in its query)."""
    return Exists(InboxEventRead.objects.filter(user=user, event=OuterRef("pk")))


def _notices_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, event__isnull=True)


@dataclass(frozen=True)
class InboxLine:
    trade_id: int | None
    title: str
    text: str  # who did what: 「はなこさんが発送しました」
    at: datetime
    unread: bool
    link: str = ""
    kind: str = "trade"  # "trade", or a notice's topic ("questions", "likes", "" = other)
    notice_id: int | None = None  # set for notices
    event_id: int | None = None  # set for trade steps (each line can be marked read alone)

    @property
    def key(self) -> tuple:
        """Its place in the inbox, newest first: time, then trade steps before notices."""
        return (self.at, self.kind == "trade", self.notice_id or 0)


@dataclass(frozen=True)
class InboxPage:
    lines: list[InboxLine]
    next_cursor: str | None


PREFIX = "[furima] "


def _notice_text(subject: str) -> str:
    """A notice's subject without the mail's "[furima] " tag: the line says what happened."""
    return subject[len(PREFIX) :] if subject.startswith(PREFIX) else subject


def _cursor(line: InboxLine) -> str:
    raw = json.dumps([line.at.isoformat(), line.kind == "trade", line.notice_id or 0])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _uncursor(cursor: str) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, is_trade, notice_id = json.loads(raw)
        found = datetime.fromisoformat(at)
        if found.tzinfo is None or not isinstance(is_trade, bool) or not isinstance(notice_id, int):
            raise ValueError("not an inbox cursor")
        return (found, is_trade, notice_id)
    except (ValueError, TypeError, binascii.Error):
        raise BadCursor("the cursor is not one this list handed out") from None


def inbox_page(*, user, limit: int = 20, cursor: str | None = None) -> InboxPage:
    """One page of the in-app inbox for `user`: the trade steps that told the user's side
    and every other in-app notice (questions and answers, price drops, payouts, support),
    merged newest first, unread ones marked. `cursor`: where the previous page ended
    (`BadCursor` if it is not one this list handed out)."""
    before = _uncursor(cursor) if cursor else None
    read_at = (
        NotificationSettings.objects.filter(user=user)
        .values_list("inbox_read_at", flat=True)
        .first()
    )
    lines = _trade_lines(user, read_at, limit=limit, before=before)
    notices = _notices_of(user).order_by("-created_at", "-id")
    if before is not None:
        notices = notices.filter(created_at__lte=before[0])
    for notice in notices[: limit + 1 + (limit if before else 0)]:
        lines.append(
            InboxLine(
                trade_id=notice.trade_id,
                title="",
                text=_notice_text(notice.subject),
                at=notice.created_at,
                unread=notice.read_at is None and (read_at is None or notice.created_at > read_at),
                link=notice.link,
                kind=notice.topic,
                notice_id=notice.pk,
            )
        )
    if before is not None:
        lines = [line for line in lines if line.key < before]
    lines.sort(key=lambda line: line.key, reverse=True)
    shown = lines[:limit]
    more = len(lines) > limit
    return InboxPage(lines=shown, next_cursor=_cursor(shown[-1]) if more and shown else None)


def _trade_lines(user, read_at, *, limit: int, before) -> list[InboxLine]:
    lines = []
    window = limit + 1 if before is None else limit * 4
    events = notifications_for_user(
        user=user, limit=window, before=before[0] if before else None, seen=_seen(user)
    )
    for event in events:
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
                unread=not event.seen and (read_at is None or event.at > read_at),
                link=f"/trades/{trade.pk}/",
                event_id=event.pk,
            )
        )
    return lines


def inbox_lines(*, user, limit: int = 20) -> list[InboxLine]:
    """The in-app inbox's first page as sentences for `user`, newest first."""
    return inbox_page(user=user, limit=limit).lines


def chosen_language(*, user) -> str:
    """The language the user chose for pages and mails, "" if none."""
    found = (
        NotificationSettings.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return found or ""

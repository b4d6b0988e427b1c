"""Writes to the outbox. `notifications_for_events` is a trade event subscriber (see
FURIMA_TRADE_EVENT_SUBSCRIBERS): the trades app calls it inside the transaction that wrote
the events, so the notices commit, or roll back, with the step they tell about."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from furima import clock
from furima.market.models import Listing
from furima.notify.models import Channel, Notification, Status
from furima.trades.models import Role, TradeEvent

SUBJECT_TEMPLATE = "notify/trade_event_subject.txt"
BODY_TEMPLATE = "notify/trade_event_body.txt"


def notifications_for_events(*, events: Sequence[TradeEvent]) -> list[Notification]:
    """One pending mail notice per event and party it notifies; two queries per batch plus
    the INSERT. Parties without a usable address (no e-mail, deactivated) get no mail row.
    Writing the same event again writes nothing (the dedupe key is unique)."""
    wanted = [(event, party) for event in events for party in event.notify]
    if not wanted:
        return []
    trades = {event.trade_id: event.trade for event, _ in wanted}
    titles = dict(
        Listing.objects.filter(pk__in={t.listing_id for t in trades.values()}).values_list(
            "pk", "title"
        )
    )
    recipients = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(
            pk__in={_party_id(trades[e.trade_id], party) for e, party in wanted}, is_active=True
        )
        .exclude(email="")
    }
    now = clock.now()
    rows = []
    for event, party in wanted:
        trade = trades[event.trade_id]
        user = recipients.get(_party_id(trade, party))
        if user is None:
            continue
        language = recipient_language(user)
        context = {
            "recipient": user,
            "role": party,
            "action": event.action,
            "actor": event.actor,
            "title": titles[trade.listing_id],
            "trade_id": trade.pk,
            "trade_path": f"/trades/{trade.pk}/",
        }
        with translation.override(language):
            subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
            body = render_to_string(BODY_TEMPLATE, context)
        rows.append(
            Notification(
                recipient=user,
                trade_id=trade.pk,
                event_id=event.pk,
                channel=Channel.MAIL,
                dedupe_key=dedupe_key(event_id=event.pk, user_id=user.pk, channel=Channel.MAIL),
                language=language,
                subject=subject[:255],
                body=body,
                status=Status.PENDING,
                created_at=now,
                next_attempt_at=now,
            )
        )
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


def notification_send(
    *,
    key: str,
    subject: str,
    body: str,
    language: str,
    recipient=None,
    address: str = "",
    link: str = "",
) -> list[Notification]:
    """A notice about something other than a trade step (a new message in an inquiry):
    a mail row for the outbox and, for someone with an account, an in-app row (delivered as
    it is written). Call it inside the transaction that wrote what it tells about. `key`
    names the occasion ("inquiry-message:42"); the same key twice writes nothing."""
    if recipient is None and not address:
        return []
    who = recipient.pk if recipient is not None else address
    now = clock.now()
    common = {
        "recipient": recipient,
        "address": "" if recipient is not None else address,
        "language": language,
        "subject": " ".join(subject.split())[:255],
        "body": body,
        "link": link,
        "created_at": now,
    }
    rows = []
    if recipient is None or (recipient.email and recipient.is_active):
        rows.append(
            Notification(
                **common,
                channel=Channel.MAIL,
                dedupe_key=f"{key}:{who}:{Channel.MAIL}"[:100],
                status=Status.PENDING,
                next_attempt_at=now,
            )
        )
    if recipient is not None:
        rows.append(
            Notification(
                **common,
                channel=Channel.IN_APP,
                dedupe_key=f"{key}:{who}:{Channel.IN_APP}"[:100],
                status=Status.SENT,
                sent_at=now,
            )
        )
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


def dedupe_key(*, event_id: int, user_id: int, channel: str) -> str:
    return f"{event_id}:{user_id}:{channel}"


def recipient_language(user) -> str:
    """The language a user's notices are written in. Users choose no language yet, so this
    is the site's (Japanese); the one place to change once they can."""
    return settings.LANGUAGE_CODE


def _party_id(trade, party: str) -> int:
    return trade.buyer_id if party == Role.BUYER else trade.seller_id

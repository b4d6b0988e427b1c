"""Writes to the outbox. `notifications_for_events` is a trade event subscriber (see
FURIMA_TRADE_EVENT_SUBSCRIBERS): the trades app calls it inside the transaction that wrote
the events, so the notices commit, or roll back, with the step they tell about."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from furima import clock
from furima.formats import when_full
from furima.market.models import Listing
from furima.notify.models import (
    Channel,
    InboxEventRead,
    MailKind,
    Notification,
    NotificationSettings,
    Status,
)
from furima.process import deadlines
from furima.trades.models import Role, TradeEvent
from furima.trades.services import policy_of
from furima.trades.snapshots import needs_ratings, ratings_by_trade, snapshot_of
from furima.trades.wording import next_step, person, sentence, subject

LANGUAGES = ("ja", "en")

SUBJECT_TEMPLATE = "notify/trade_event_subject.txt"
BODY_TEMPLATE = "notify/trade_event_body.txt"


def notifications_for_events(*, events: Sequence[TradeEvent]) -> list[Notification]:
    """One pending mail notice per event and party it notifies, unless that party turned
    that kind of mail off; a few queries per batch plus the INSERT. Parties without a usable
    address (no e-mail, deactivated) get no mail row. Writing the same event again writes
    nothing (the dedupe key is unique)."""
    wanted = [(event, party) for event in events for party in event.notify]
    if not wanted:
        return []
    trades = {event.trade_id: event.trade for event, _ in wanted}
    titles = dict(
        Listing.objects.filter(pk__in={t.listing_id for t in trades.values()}).values_list(
            "pk", "title"
        )
    )
    people = {
        user.pk: user
        for user in get_user_model().objects.filter(
            pk__in={t.buyer_id for t in trades.values()} | {t.seller_id for t in trades.values()}
        )
    }
    choices = notification_settings_of(user_ids=people)
    outlook = _what_comes_next(trades.values())
    now = clock.now()
    rows = []
    for event, party in wanted:
        trade = trades[event.trade_id]
        user = people.get(_party_id(trade, party))
        if user is None or not user.is_active or not user.email:
            continue
        chosen = choices.get(user.pk)
        if chosen is not None and not chosen.wants_mail(event.action):
            continue
        language = recipient_language(user, chosen)
        with translation.override(language):
            context = _mail_context(event, party, trade, titles[trade.listing_id], people, outlook)
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


def _what_comes_next(trades) -> dict:
    """Each trade's deadlines after the step (ratings read in one query)."""
    trades = list(trades)
    ratings = ratings_by_trade(t.pk for t in trades if needs_ratings(t))
    return {t.pk: deadlines(snapshot_of(t, ratings.get(t.pk, [])), policy_of(t)) for t in trades}


def _mail_context(event, party: str, trade, title: str, people, outlook) -> dict:
    actor_user = people.get(event.user_id) if event.user_id else None
    who = subject(actor=event.actor, reader=party, name=person(actor_user) if actor_user else None)
    data = event.data or {}
    quoted = data.get("text") or data.get("reason") or ""
    return {
        "recipient": people[_party_id(trade, party)],
        "role": party,
        "action": event.action,
        "actor": event.actor,
        "what": sentence(action=event.action, actor=event.actor, who=who),
        "title": title,
        "price": trade.price,
        "quoted": quoted,
        "quote_is_reason": bool(data.get("reason")) and not data.get("text"),
        "next": next_step(state=trade.state, found=outlook[trade.pk], party=party, when=when_full),
        "trade_id": trade.pk,
        "trade_url": site_url(f"/trades/{trade.pk}/"),
        "preferences_url": site_url(PREFERENCES_PATH),
    }


PREFERENCES_PATH = "/mypage/notifications/"


def site_url(path: str) -> str:
    """An absolute link for mails: FURIMA_SITE_URL plus the path."""
    return settings.FURIMA_SITE_URL.rstrip("/") + path


def notification_settings_of(*, user_ids) -> dict:
    return {
        row.user_id: row for row in NotificationSettings.objects.filter(user_id__in=list(user_ids))
    }


def notice_send(
    *,
    key: str,
    language: str,
    templates: tuple[str, str],
    context: Callable[[], dict],
    recipient=None,
    address: str = "",
    link: str = "",
    topic: str = "",
    mail: bool = True,
) -> list[Notification]:
    """`notification_send` with the subject and body rendered from `templates` (subject,
    body) in the recipient's `language`: how every notice that is not a trade step writes.
    `context` is called inside that language, as some of its values are words."""
    with translation.override(language):
        values = context()
        subject = render_to_string(templates[0], values)
        body = render_to_string(templates[1], values)
    return notification_send(
        key=key,
        recipient=recipient,
        address=address,
        language=language,
        subject=subject,
        body=body,
        link=link,
        topic=topic,
        mail=mail,
    )


def account_mail_send(
    *, key: str, subject: str, body: str, language: str, address: str
) -> list[Notification]:
    """A mail about the account itself (a password reset link), asked for by whoever types
    an address into a form. At most `FURIMA_ACCOUNT_MAILS_PER_HOUR` per occasion and address
    in any hour, so the form cannot flood someone's mailbox; over that, nothing is written
    (the form answers the same either way: it never tells whether an address has an
    account). `key`: the occasion, then one unique part ("password-reset:42:9f1c…")."""
    occasion = key.rsplit(":", 1)[0]
    recent = Notification.objects.filter(
        channel=Channel.MAIL,
        address=address,
        dedupe_key__startswith=f"{occasion}:",
        created_at__gt=clock.now() - timedelta(hours=1),
    )
    if recent.count() >= settings.FURIMA_ACCOUNT_MAILS_PER_HOUR:
        return []
    return notification_send(
        key=key, subject=subject, body=body, language=language, address=address
    )


def notification_send(
    *,
    key: str,
    subject: str,
    body: str,
    language: str,
    recipient=None,
    address: str = "",
    link: str = "",
    topic: str = "",
    mail: bool = True,
) -> list[Notification]:
    """A notice about something other than a trade step (a new message in an inquiry):
    a mail row for the outbox and, for someone with an account, an in-app row (delivered as
    it is written). Call it inside the transaction that wrote what it tells about. `key`
    names the occasion ("inquiry-message:42"); the same key twice writes nothing. `topic`
    groups in-app notices on マイページ; `mail=False` writes the in-app notice only (the
    recipient turned that kind of mail off)."""
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
        "topic": topic,
        "created_at": now,
    }
    rows = []
    if mail and (recipient is None or (recipient.email and recipient.is_active)):
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


def recipient_language(user, chosen: NotificationSettings | None = None) -> str:
    """The language a user's notices are written in: their choice, else the site's."""
    if chosen is None:
        chosen = NotificationSettings.objects.filter(user=user).first()
    if chosen is not None and chosen.language in LANGUAGES:
        return chosen.language
    return settings.LANGUAGE_CODE


def _party_id(trade, party: str) -> int:
    return trade.buyer_id if party == Role.BUYER else trade.seller_id


def notification_settings_save(*, user, mail_on: list[str], language: str) -> NotificationSettings:
    """Stores which mails the user wants and their language."""
    with transaction.atomic():
        row, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        row.mail_off = sorted(set(MailKind.values) - set(mail_on))
        row.language = language if language in LANGUAGES else ""
        row.save(update_fields=["mail_off", "language"])
    return row


def inbox_mark_read(*, user) -> None:
    """Everything in the user's inbox up to now counts as read."""
    with transaction.atomic():
        row, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        row.inbox_read_at = clock.now()
        row.save(update_fields=["inbox_read_at"])


def inbox_mark_one_read(*, user, notice_id: int) -> bool:
    """One in-app notice of the user's counts as read. False if the user has no such
    notice: nothing changes."""
    found = Notification.objects.filter(
        pk=notice_id, recipient=user, channel=Channel.IN_APP, event__isnull=True
    )
    found.filter(read_at__isnull=True).update(read_at=clock.now())
    return found.exists()


def inbox_mark_step_read(*, user, event_id: int) -> bool:
    """One trade step's inbox line counts as read. False unless the step is in the user's
    inbox (a step of their trade that told their side): nothing changes."""
    event = TradeEvent.objects.filter(pk=event_id).select_related("trade").first()
    if event is None or user.pk not in (event.trade.buyer_id, event.trade.seller_id):
        return False
    if ("buyer" if event.trade.buyer_id == user.pk else "seller") not in event.notify:
        return False
    InboxEventRead.objects.get_or_create(user=user, event=event, defaults={"read_at": clock.now()})
    return True

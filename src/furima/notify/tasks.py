"""The worker's delivery sweep (FURIMA_WORKER_SWEEPS): send the outbox's due notices.

Each call takes one batch in three steps:

1. claim, in a short transaction: the due pending rows, locked with `FOR UPDATE SKIP LOCKED`
   (PostgreSQL; on SQLite the IMMEDIATE transaction's write lock does the job), get one
   more attempt counted and `next_attempt_at` pushed forward by CLAIM_LEASE;
2. send each through Django's mail backend, outside any transaction, so a slow SMTP server
   never holds row locks;
3. record the outcome: sent, or due again after a backoff, or failed after MAX_ATTEMPTS.

Delivery is at least once: a worker that dies between 2 and 3 has sent mail the outbox does
not know about, and the row falls due again when the lease runs out. Each notice keeps one
Message-ID (`Notification.message_id`) so a receiver can drop the duplicate.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F

from furima import clock
from furima.notify.models import Notification, Status
from furima.notify.services import PREFERENCES_PATH, site_url

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=10)
"""How long a claimed row is left to its worker; after that it is a stale claim, due again.
Well beyond a batch's sending time at EMAIL_TIMEOUT per message."""
FIRST_RETRY_AFTER = timedelta(minutes=1)
LONGEST_RETRY_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one batch did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(*, batch_size: int = 100) -> int:
    """Send one batch of due notices; return how many rows it claimed."""
    batch = notifications_deliver_due(batch_size=batch_size)
    if batch.claimed:
        log.info(
            "notifications: claimed %d, sent %d, retrying %d, failed %d",
            batch.claimed,
            batch.sent,
            batch.retrying,
            batch.failed,
        )
    return batch.claimed


def notifications_deliver_due(*, batch_size: int = 100) -> Delivery:
    rows, exhausted = notifications_claim(batch_size=batch_size)
    sent, errors = _send(rows)
    now = clock.now()
    retrying = failed = 0
    with transaction.atomic():
        if sent:
            Notification.objects.filter(pk__in=[r.pk for r in sent], status=Status.PENDING).update(
                status=Status.SENT, sent_at=now, next_attempt_at=None, last_error=""
            )
        for row, error in errors:
            gives_up = row.attempts >= MAX_ATTEMPTS
            failed += gives_up
            retrying += not gives_up
            Notification.objects.filter(pk=row.pk, status=Status.PENDING).update(
                status=Status.FAILED if gives_up else Status.PENDING,
                next_attempt_at=None if gives_up else now + retry_after(row.attempts),
                last_error=error[:2000],
            )
    return Delivery(
        claimed=len(rows) + exhausted,
        sent=len(sent),
        retrying=retrying,
        failed=failed + exhausted,
    )


def notifications_claim(*, batch_size: int) -> tuple[list[Notification], int]:
    """Claim up to `batch_size` due rows for this worker; return them (with their recipient)
    and how many due rows were failed instead, their last attempt having never reported back.
    """
    with transaction.atomic():
        now = clock.now()
        due = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:batch_size]
        )
        exhausted = [row.pk for row in due if row.attempts >= MAX_ATTEMPTS]
        if exhausted:
            Notification.objects.filter(pk__in=exhausted).update(
                status=Status.FAILED,
                next_attempt_at=None,
                last_error="the last attempt never reported back (the worker stopped?)",
            )
        claimed = [row for row in due if row.attempts < MAX_ATTEMPTS]
        Notification.objects.filter(pk__in=[row.pk for row in claimed]).update(
            attempts=F("attempts") + 1, claimed_at=now, next_attempt_at=now + CLAIM_LEASE
        )
    for row in claimed:
        row.attempts += 1
        row.claimed_at = now
    return claimed, len(exhausted)


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes after the 1st, 2nd, 3rd, 4th… failed attempt; at most an hour."""
    return min(FIRST_RETRY_AFTER * 2 ** max(attempts - 1, 0), LONGEST_RETRY_AFTER)


def _send(rows: list[Notification]) -> tuple[list[Notification], list[tuple[Notification, str]]]:
    """Send each row over one connection; return the rows sent and the others with why."""
    sent: list[Notification] = []
    errors: list[tuple[Notification, str]] = []
    if not rows:
        return sent, errors
    connection = mail.get_connection()
    try:
        connection.open()
    except Exception as error:  # the server is down: nothing in this batch can go
        return sent, [(row, _describe(error)) for row in rows]
    try:
        for row in rows:
            if not row.to_address:
                errors.append((row, "the recipient has no e-mail address any more"))
                continue
            try:
                _message(row, connection).send()
            except Exception as error:
                errors.append((row, _describe(error)))
                _reconnect(connection)  # the connection may be broken; the next row gets a new one
            else:
                sent.append(row)
    finally:
        _close(connection)
    return sent, errors


def _message(row: Notification, connection) -> mail.EmailMessage:
    return mail.EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_address],
        headers={
            "Message-ID": row.message_id,
            "Date": format_datetime(clock.now()),  # furima's time, as everywhere (demo shifts)
            "Content-Language": row.language,
            # Where to turn these mails off (a page, not a one-click POST endpoint).
            "List-Unsubscribe": f"<{site_url(PREFERENCES_PATH)}>",
        },
        connection=connection,
    )


def _reconnect(connection) -> None:
    _close(connection)
    with contextlib.suppress(Exception):  # if it fails, each send tries again on its own
        connection.open()


def _close(connection) -> None:
    with contextlib.suppress(Exception):
        connection.close()


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"

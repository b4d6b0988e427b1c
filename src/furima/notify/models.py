"""The notification outbox: one row per message a party should get about a trade step.

Rows are written in the transaction that accepted the step (so a step is never committed
without its notices, nor a notice without its step) and delivered later by the worker
(`furima.notify.tasks.deliver_due`). The subject and body are rendered when the row is
written, in the recipient's language, so delivery needs no templates and retries send the
same text. `dedupe_key` makes it one row per (event, recipient, channel), whoever writes it.

`next_attempt_at` is when the row is next due. A worker that claims a row pushes it forward
by the claim's lease: if the worker dies before reporting back, the row simply falls due
again once the lease runs out (a stale claim is reclaimed without a separate query).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUESTIONS_TOPIC = "questions"
"""`Notification.topic` of the notices about questions and answers on listings."""
LIKES_TOPIC = "likes"
"""`Notification.topic` of the notices about items one liked (a lower price)."""
ITEM_TOPICS = (QUESTIONS_TOPIC, LIKES_TOPIC)


class Channel(models.TextChoices):
    MAIL = "mail", "mail"
    IN_APP = "inapp", "in-app"  # shown on the recipient's page; delivered when written


class Status(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"  # gave up after MAX_ATTEMPTS, or nowhere to send it


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )  # empty for someone without an account (an anonymous inquiry's address)
    address = models.EmailField(blank=True)  # where to mail when there is no recipient
    trade = models.ForeignKey(
        "trades.Trade",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )  # never searched by: the event says which trade
    event = models.ForeignKey(
        "trades.TradeEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )  # empty for notices about something else than a trade step (an inquiry's answer)
    link = models.CharField(max_length=200, blank=True)  # the page the notice is about
    topic = models.CharField(max_length=20, blank=True)
    # What a notice beyond the trade steps is about, so マイページ lists each kind in its own
    # place: "" (support), "questions" (comments on listings), "likes" (price drops).
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.MAIL)
    dedupe_key = models.CharField(max_length=100, unique=True)  # "<event>:<user>:<channel>"
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)  # claims so far, the current one too
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # empty once sent or failed
    claimed_at = models.DateTimeField(null=True, blank=True)  # the last claim, for the record
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # an in-app notice marked read alone

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # Only pending rows: the sweep costs the same however many were sent before.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_due_idx",
            ),
            # The inbox and the unread badge on every page: one user's in-app notices.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="inapp"),
                name="notification_inapp_idx",
            ),
        )

    def __str__(self) -> str:
        return f"notification {self.dedupe_key} ({self.status})"

    @property
    def to_address(self) -> str:
        """The recipient's current address (accounts change theirs), else the one stored."""
        recipient = self.recipient  # no query when recipient_id is None
        if recipient is not None:
            return recipient.email if recipient.is_active else ""
        return self.address

    @property
    def message_id(self) -> str:
        """The Message-ID header every attempt at this notice carries, so a receiver that got
        it twice (at-least-once delivery) can tell. Not `make_msgid()`: that differs on each
        host and call. The key's ':' is not allowed in a Message-ID."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "furima.invalid"
        return f"<furima.{self.dedupe_key.replace(':', '.')}@{domain}>"


class MailKind(models.TextChoices):
    """What a mail is about, for the recipient's on/off choice (the in-app inbox always
    shows everything)."""

    MESSAGES = "messages", _("New trade messages")
    TRADE = "trade", _("Trade steps: purchase, shipping, ratings, cancellation")
    REMINDERS = "reminders", _("Reminders to rate")
    SUPPORT = "support", _("Support: operator requests, problem reports")
    QUESTIONS = "questions", _("Questions and answers on items (comments)")
    LIKES = "likes", _("Price drops on items you liked")


KIND_OF_ACTION = {
    "message": MailKind.MESSAGES,
    "remind": MailKind.REMINDERS,
    "request_operator": MailKind.SUPPORT,
    "report_problem": MailKind.SUPPORT,
    "resolve_problem": MailKind.SUPPORT,
    "proxy_rate": MailKind.SUPPORT,
}


def kind_of(action: str) -> str:
    return KIND_OF_ACTION.get(action, MailKind.TRADE)


class NotificationSettings(models.Model):
    """One user's choices: which mails they want, the language of their screens and mails,
    and how far they have read their inbox. No row means the defaults (all mails, the
    site's language, nothing read)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    mail_off = models.JSONField(default=list, blank=True)  # MailKind values turned off
    inbox_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"

    def wants_mail(self, action: str) -> bool:
        return kind_of(action) not in self.mail_off


class InboxEventRead(models.Model):
    """A trade step's inbox line the user marked read on its own (the steps have no notice
    row of their own to carry the mark; "mark all as read" needs none of these)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("trades.TradeEvent", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["event", "user"], name="inbox_event_read_once"),
        )

    def __str__(self) -> str:
        return f"event {self.event_id} read by {self.user_id}"

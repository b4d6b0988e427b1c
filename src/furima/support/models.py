"""Inquiries (お問い合わせ): a thread between one person and the support staff (事務局),
tied to the person's account and, where it is about one, to a trade.

An inquiry from someone who is not signed in carries only an e-mail address until the
address is verified through the mailed link; then it is tied to the account with that
address (if there is one), so no answer ever has to say "we cannot identify your account".
Unverified inquiries wait outside the staff queue.

`due_at` is the SLA: the business-day deadline for the staff's next answer, set when the
inquiry arrives and again whenever the person writes after an answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BUYER_TROUBLE = "buyer_trouble", _("Trouble with a buyer")
    SELLER_TROUBLE = "seller_trouble", _("Trouble with a seller")
    CANCEL = "cancel", _("Cancelling a trade")
    RATING = "rating", _("Ratings")
    PAYOUT = "payout", _("Sales balance and fees")
    ACCOUNT = "account", _("Account and login")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


WAITING_ON_STAFF = (Status.RECEIVED, Status.IN_PROGRESS)
"""The statuses in which the next word is the staff's: the SLA queue."""


class Sender(models.TextChoices):
    USER = "user", _("You")
    STAFF = "staff", _("Support")


class Inquiry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        db_index=False,  # indexed by (user, created_at)
    )  # empty only for an anonymous inquiry whose address matches no account
    email = models.EmailField(blank=True)  # the anonymous sender's address (to verify, to answer)
    verified_at = models.DateTimeField(null=True, blank=True)  # signed-in inquiries: on creation
    trade = models.ForeignKey(
        "trades.Trade",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )  # the staff member who took it; told of the person's replies
    language = models.CharField(max_length=8, default="ja")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "inquiries"
        indexes = (
            models.Index(fields=["user", "-created_at", "-id"], name="inquiry_user_idx"),
            # The staff queue: only inquiries waiting on staff, by SLA due time. Its size is
            # the backlog, not every inquiry ever answered.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=["received", "in_progress"], verified_at__isnull=False),
                name="inquiry_sla_queue_idx",
            ),
        )

    def __str__(self) -> str:
        return f"inquiry {self.pk}: {self.subject}"

    @property
    def address(self) -> str:
        """Where answers are mailed: the account's address, else the one given."""
        user = self.user  # no query when user_id is None
        if user is not None and user.email:
            return user.email
        return self.email


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="messages", db_index=False
    )  # indexed by (inquiry, at)
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )  # the staff member who answered, or the signed-in person; empty for the anonymous
    body = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ("inquiry_id", "at", "id")
        indexes = (models.Index(fields=["inquiry", "at", "id"], name="inquiry_message_idx"),)

    def __str__(self) -> str:
        return f"{self.sender} on inquiry {self.inquiry_id}"

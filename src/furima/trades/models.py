"""Trades as rows: the engine's snapshot, flattened onto one row so a single locked read
rebuilds it, plus the append-only log of what happened and the messages and ratings.

The trade row is the one serialisation point (DESIGN.md, "Scale"): every change to a trade
locks it first. `next_timer_at` is the engine's next timer for the trade, indexed (only
where set) so the worker's sweep costs the same however many trades are waiting.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from furima.idempotency import MAX_KEY_LENGTH
from furima.market.catalog import UNDECIDED_SHIPPING, shipping_method
from furima.market.models import ShippingPayer, ShipWithin
from furima.process import Action, Actor, OperatorRequestStatus, State
from furima.process import Rating as EngineRating


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


class Role(models.TextChoices):
    """A side of the trade."""

    BUYER = "buyer", _("buyer")
    SELLER = "seller", _("seller")


class Trade(models.Model):
    listing = models.OneToOneField(
        "market.Listing", on_delete=models.PROTECT, related_name="trade"
    )  # unique: a listing is sold at most once, whatever the services do
    # No single-column indexes where a composite one below starts with the column: every
    # index is one more write on each of the worker's updates.
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases", db_index=False
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sales", db_index=False
    )
    price = models.PositiveIntegerField()
    ship_within = models.CharField(max_length=3, choices=ShipWithin.choices)
    # The listing's shipping terms as bought (the catalogue's method id, and who pays).
    shipping_method = models.CharField(max_length=40, default=UNDECIDED_SHIPPING)
    shipping_payer = models.CharField(
        max_length=10, choices=ShippingPayer.choices, default=ShippingPayer.SELLER
    )
    policy_id = models.CharField(max_length=64)
    policy_version = models.PositiveIntegerField()
    state = models.CharField(max_length=24, choices=_choices(State))

    purchased_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_buyer_message_at = models.DateTimeField(null=True, blank=True)
    last_seller_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    escrow_released = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    operator_request_status = models.CharField(
        max_length=24, choices=_choices(OperatorRequestStatus), blank=True
    )
    operator_request_opened_at = models.DateTimeField(null=True, blank=True)
    operator_request_closed_at = models.DateTimeField(null=True, blank=True)
    problem_reported_at = models.DateTimeField(null=True, blank=True)
    problem_text = models.TextField(blank=True)
    problem_closed_at = models.DateTimeField(null=True, blank=True)
    problem_resolved_at = models.DateTimeField(null=True, blank=True)
    # Yen refunded to the buyer after the payout (claims under a policy with a claims window).
    refunded_after_payout = models.PositiveIntegerField(default=0)
    # A pending cancellation by mutual agreement (empty once answered or lapsed).
    cancel_requested_by = models.CharField(max_length=8, choices=Role.choices, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    cancel_request_reason = models.TextField(blank=True)

    next_timer_at = models.DateTimeField(null=True, blank=True)
    next_timer_name = models.CharField(max_length=40, blank=True)
    # A due timer whose step raised (STYLE.md §17): failures in a row, the last error and
    # when it happened; meanwhile `next_timer_at` holds the next attempt (backed off).
    timer_failures = models.PositiveIntegerField(default=0)
    timer_last_error = models.TextField(blank=True)
    timer_failed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # the last event's `seq`
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ("-purchased_at", "-id")
        indexes = (
            models.Index(
                fields=["next_timer_at"],
                condition=Q(next_timer_at__isnull=False),
                name="trade_due_timer_idx",
            ),
            models.Index(fields=["buyer", "state"], name="trade_buyer_state_idx"),
            models.Index(fields=["seller", "state"], name="trade_seller_state_idx"),
            # The support desk's queues read these in their keyset order: one index range per
            # page, no sort of the whole backlog.
            models.Index(
                fields=["operator_request_opened_at", "id"],
                condition=Q(operator_request_status="open"),
                name="trade_open_operator_req_idx",
            ),
            models.Index(
                fields=["next_timer_at", "id"],
                condition=Q(timer_failures__gt=0),
                name="trade_failing_timer_idx",
            ),
            # The carrier webhook finds the trade by its parcel.
            models.Index(
                fields=["tracking_number"],
                condition=~Q(tracking_number=""),
                name="trade_tracking_number_idx",
            ),
            # The support desk's queue of open problem reports (a handful among all trades).
            models.Index(
                fields=["problem_reported_at", "id"],
                condition=Q(problem_reported_at__isnull=False, problem_closed_at__isnull=True),
                name="trade_open_problem_idx",
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=~Q(buyer=models.F("seller")), name="trade_buyer_is_not_seller"
            ),
        )

    def __str__(self) -> str:
        return f"trade {self.pk} ({self.state})"

    @property
    def shipping(self):
        """The shipping method's catalogue entry: names, carrier, tracking rule, anonymity."""
        return shipping_method(self.shipping_method)

    def role_of(self, user) -> Role | None:
        if user is None or not getattr(user, "pk", None):
            return None
        if user.pk == self.buyer_id:
            return Role.BUYER
        if user.pk == self.seller_id:
            return Role.SELLER
        return None


class TradeEvent(models.Model):
    """One accepted step, numbered within its trade. Append-only: the unique (trade, seq)
    also makes two writers that both believe they are next collide instead of both
    succeeding."""

    trade = models.ForeignKey(
        Trade, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # indexed by the unique (trade, seq)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()  # when it was applied
    # A timer's step: when it was due (a worker catching up applies it later); else empty.
    due_at = models.DateTimeField(null=True, blank=True)
    actor = models.CharField(max_length=16, choices=_choices(Actor))
    action = models.CharField(max_length=24, choices=_choices(Action))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # never searched by; users are deactivated, not deleted
    )  # the person who acted; empty for the engine's timers and carriers
    data = models.JSONField(default=dict, blank=True)
    notify = models.JSONField(default=list, blank=True)  # "buyer" / "seller"

    class Meta:
        ordering = ("trade_id", "seq")
        constraints = (
            models.UniqueConstraint(fields=["trade", "seq"], name="trade_event_seq_unique"),
        )

    def __str__(self) -> str:
        return f"trade {self.trade_id} #{self.seq}: {self.actor} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("trade events are append-only")
        super().save(*args, **kwargs)


class Message(models.Model):
    """A trade message (取引メッセージ) between buyer and seller."""

    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="messages")
    event = models.OneToOneField(TradeEvent, on_delete=models.CASCADE, related_name="message")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    text = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ("trade_id", "at", "id")

    def __str__(self) -> str:
        return f"{self.role} on trade {self.trade_id}: {self.text[:30]}"


class TradeRating(models.TextChoices):
    GOOD = EngineRating.GOOD.value, _("good")
    NORMAL = EngineRating.NORMAL.value, _("normal")
    BAD = EngineRating.BAD.value, _("bad")


class Rating(models.Model):
    """A rating one side of a trade gave the other. `role` is the side it came from (the
    buyer's side rates the seller: that is the receipt evaluation, possibly given by the
    operator or the engine on the buyer's behalf, as `given_by` says)."""

    trade = models.ForeignKey(
        Trade, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )  # indexed by the unique (trade, role)
    event = models.OneToOneField(TradeEvent, on_delete=models.CASCADE, related_name="rating")
    role = models.CharField(max_length=8, choices=Role.choices)
    ratee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ratings_received",
        db_index=False,  # indexed by (ratee, rating)
    )
    rating = models.CharField(max_length=8, choices=TradeRating.choices)
    comment = models.TextField(blank=True)
    given_by = models.CharField(max_length=16, choices=_choices(Actor))
    at = models.DateTimeField()

    class Meta:
        ordering = ("-at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["trade", "role"], name="one_rating_per_side"),
        )
        indexes = (models.Index(fields=["ratee", "rating"], name="rating_ratee_idx"),)

    def __str__(self) -> str:
        return f"{self.role} rated {self.rating} on trade {self.trade_id}"


class IdempotencyKey(models.Model):
    """A client's key for one request, so a double-submitted action has one effect. Scoped
    to the user (a key means nothing across users); `fingerprint` catches a key reused for a
    different request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_KEY_LENGTH)
    fingerprint = models.CharField(max_length=64)
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(TradeEvent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user"),
        )

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ClockShift(models.Model):
    """The demo clock's forward shift, one row shared by every web and worker process."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    shift = models.DurationField(default=timedelta)

    def __str__(self) -> str:
        return f"clock shifted by {self.shift}"


class WorkerHeartbeat(models.Model):
    """One row per `furima worker` process, refreshed while it runs: the health endpoint
    tells whether the deadlines are being watched, `furima worker --status` lists the
    workers, and the metrics sum their counters."""

    name = models.CharField(max_length=200, unique=True)  # host:pid
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    timers_applied = models.PositiveBigIntegerField(default=0)
    timers_failed = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ("-seen_at",)

    def __str__(self) -> str:
        return f"worker {self.name}, seen {self.seen_at:%Y-%m-%d %H:%M:%S}"

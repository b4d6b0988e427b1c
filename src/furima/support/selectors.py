"""Reads for the support side: a person's inquiries, the staff desk's queues (each ordered
by when someone is owed an answer, each one index range), and a trade's whole story."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from furima.dbrows import CompiledRead
from furima.ledger.models import LedgerPosting
from furima.notify.models import Channel, Notification
from furima.support.models import WAITING_ON_STAFF, Inquiry, InquiryMessage
from furima.trades.errors import NotFound
from furima.trades.models import Trade, TradeEvent


def _with_thread(inquiries: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return inquiries.prefetch_related(
        Prefetch("messages", queryset=InquiryMessage.objects.order_by("at", "id"))
    )


def inquiries_for_user(*, user, status: str | None = None) -> QuerySet[Inquiry]:
    """A person's own inquiries; staff see everyone's. Newest first."""
    inquiries = Inquiry.objects.all() if user.is_staff else Inquiry.objects.filter(user=user)
    if status:
        inquiries = inquiries.filter(status=status)
    return _with_thread(inquiries.select_related("trade")).order_by("-created_at", "-id")


def inquiry_get(*, inquiry_id: int, user) -> Inquiry:
    """The inquiry, if it is the caller's (or the caller is staff); else `NotFound`, so
    nobody learns that someone else's inquiry exists."""
    try:
        inquiry = _with_thread(Inquiry.objects.select_related("user", "trade", "assignee")).get(
            pk=inquiry_id
        )
    except (Inquiry.DoesNotExist, ValueError, TypeError):
        inquiry = None
    if inquiry is None or not (user.is_staff or inquiry.user_id == user.pk):
        raise NotFound(f"there is no inquiry {inquiry_id}")
    return inquiry


def _inquiries_of_trade(*, trade_id: int, user_id: int | None = None) -> QuerySet[Inquiry]:
    """A trade's inquiries, newest first: all of them, or only `user_id`'s."""
    shown = Inquiry.objects.filter(trade_id=trade_id)
    if user_id is not None:
        shown = shown.filter(user_id=user_id)
    return shown.order_by("-created_at", "-id")


def inquiries_for_trade(*, trade: Trade, user) -> QuerySet[Inquiry]:
    """The trade's inquiries the viewer may see: their own; staff all."""
    return _inquiries_of_trade(trade_id=trade.pk, user_id=None if user.is_staff else user.pk)


CARD_LENGTH = 10
# The card shows three columns: the rest are not read.
_card = CompiledRead(
    lambda **keys: _inquiries_of_trade(**keys).only("id", "subject", "status")[:CARD_LENGTH]
)


def trade_inquiries_card(*, trade: Trade, user) -> list[Inquiry]:
    """The trade screen's inquiries card: the newest CARD_LENGTH inquiries `user` may see
    (as `inquiries_for_trade`), id, subject and status only. On every trade page, so
    compiled once (`dbrows.CompiledRead`)."""
    if user.is_staff:
        return list(_card(trade_id=trade.pk))
    return list(_card(trade_id=trade.pk, user_id=user.pk))


# ---------------------------------------------------------------- the staff desk


def inquiry_queue() -> QuerySet[Inquiry]:
    """Inquiries waiting on staff (verified, not yet answered), by SLA due time: one range of
    the partial index `inquiry_sla_queue_idx`."""
    return (
        Inquiry.objects.filter(status__in=WAITING_ON_STAFF, verified_at__isnull=False)
        .select_related("user", "assignee")
        .order_by("due_at", "id")
    )


def inquiries_overdue_count(*, now) -> int:
    """How many waiting inquiries are past their SLA (for metrics and the desk's header)."""
    return inquiry_queue().filter(due_at__lt=now).count()


def operator_request_queue() -> QuerySet[Trade]:
    """Trades whose seller asked the operator, longest waiting first (the overdue ones lead,
    since every request of a policy is owed an answer the same time after it opened)."""
    return Trade.objects.filter(operator_request_status="open").order_by(
        "operator_request_opened_at", "id"
    )


def problem_report_queue() -> QuerySet[Trade]:
    """Trades with an open problem report from the buyer, oldest report first."""
    return (
        Trade.objects.filter(problem_reported_at__isnull=False, problem_closed_at__isnull=True)
        .exclude(state__in=["completed", "cancelled"])
        .order_by("problem_reported_at", "id")
    )


def failing_timer_queue() -> QuerySet[Trade]:
    """Trades whose due timer raised and is backing off (`trades.backoff`), by their next
    attempt: those the worker will try soonest first. Only trades with a timer still to try
    (a trade that moved on keeps its failure record until a timer succeeds, with nothing to
    retry). One range of the partial index `trade_failing_timer_idx` (these few rows, in
    this order)."""
    return Trade.objects.filter(timer_failures__gt=0, next_timer_at__isnull=False).order_by(
        "next_timer_at", "id"
    )


PARTY_FIELDS = ("username", "display_name")  # what a person's name is made of (`User.__str__`)


def trades_with_parties(ids: list[int], *, fields: tuple[str, ...] | None = None) -> list[Trade]:
    """These trades, in this order, with their listing's title and the parties' names (one
    query): a queue's page is found on its partial index without joins, then fetched. Only
    `fields` of the trade if given (a queue that shows three columns does not parse fifteen
    timestamps a row), else all of them."""
    if fields is None:
        fields = tuple(f.name for f in Trade._meta.concrete_fields)
    columns = [*fields, "listing", "buyer", "seller", "listing__title"]
    columns += [f"{side}__{name}" for side in ("buyer", "seller") for name in PARTY_FIELDS]
    rows = (
        Trade.objects.select_related("listing", "buyer", "seller")
        .only(*columns)
        .order_by()
        .in_bulk(ids)
    )
    return [rows[pk] for pk in ids if pk in rows]


def trade_mails(*, trade: Trade) -> QuerySet[Notification]:
    """The mails furima wrote about the trade, newest first."""
    return (
        Notification.objects.filter(trade=trade, channel=Channel.MAIL)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )


def trade_postings(*, trade: Trade) -> QuerySet[LedgerPosting]:
    """The trade's ledger postings with their entries, oldest first."""
    return (
        LedgerPosting.objects.filter(trade=trade)
        .prefetch_related("entries__account")
        .order_by("at", "id")
    )


def trade_events_with_people(*, trade: Trade) -> QuerySet[TradeEvent]:
    """The trade's log with the person behind each step (staff names included)."""
    return TradeEvent.objects.filter(trade=trade).select_related("user").order_by("seq")

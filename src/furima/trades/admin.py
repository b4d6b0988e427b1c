"""Read-only admin views: trades change only through the services (and the worker), never
by editing rows, so the event log, ledger and snapshot can never disagree."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from furima.readonly_admin import ReadOnlyAdmin
from furima.trades.models import Message, Rating, Trade, TradeEvent


class TradeEventInline(admin.TabularInline):
    model = TradeEvent
    fields = ("seq", "at", "actor", "action", "user", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TimerFailingFilter(admin.SimpleListFilter):
    """Trades whose due timer raised and is being retried with backoff."""

    title = _("timer")
    parameter_name = "timer"

    def lookups(self, request, model_admin):
        return (("failing", _("backing off after a failure")),)

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(timer_failures__gt=0)
        return queryset


@admin.register(Trade)
class TradeAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "state",
        "buyer",
        "seller",
        "price",
        "policy_id",
        "next_timer_at",
        "timer_failures",
    )
    list_filter = ("state", "policy_id", "operator_request_status", TimerFailingFilter)
    search_fields = ("id", "buyer__username", "seller__username", "listing__title")
    inlines = (TradeEventInline,)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("trade", "role", "sender", "at")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("trade", "role", "rating", "given_by", "ratee", "at")
    list_filter = ("rating", "given_by")

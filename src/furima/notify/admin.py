"""Read-only: rows are written by the trade services and changed by the delivery sweep."""

from django.contrib import admin

from furima.notify.models import Notification
from furima.readonly_admin import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "recipient", "trade", "channel", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel")
    search_fields = ("dedupe_key", "recipient__username", "subject")
    raw_id_fields = ("recipient", "trade", "event")

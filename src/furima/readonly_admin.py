"""The admin for rows written only by the services (trades, their events, the ledger, the
outbox): viewable, never added, edited or deleted by hand, so the event log, the ledger and
the snapshots can never disagree. Shared by every app's `admin.py`, below all of them."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

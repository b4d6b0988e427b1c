"""Read-only: the ledger is append-only and written by the services alone (trades and
payout requests)."""

from django.contrib import admin

from furima.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting
from furima.readonly_admin import ReadOnlyAdmin


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ("account", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "user")
    list_filter = ("kind",)


@admin.register(LedgerPosting)
class LedgerPostingAdmin(ReadOnlyAdmin):
    list_display = ("id", "trade", "payout", "kind", "at")
    list_filter = ("kind",)
    inlines = (LedgerEntryInline,)

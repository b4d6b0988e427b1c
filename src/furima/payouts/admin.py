"""Read-only: payout requests move money, so they change only through the services (the
staff desk's payout queue), never by editing a row."""

from django.contrib import admin

from furima.payouts.models import BankAccount, Payout
from furima.readonly_admin import ReadOnlyAdmin


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("id", "seller", "amount", "fee", "status", "requested_at", "decided_at")
    list_filter = ("status",)


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "bank_name", "branch_name", "account_type", "updated_at")

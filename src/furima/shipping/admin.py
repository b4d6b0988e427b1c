"""The admin shows the staff address log read-only; addresses are their owners' to edit."""

from django.contrib import admin

from furima.readonly_admin import ReadOnlyAdmin
from furima.shipping.models import AddressAccess


@admin.register(AddressAccess)
class AddressAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "staff", "trade", "reason")
    ordering = ("-at",)

"""The admin shows the staff address log read-only; addresses are their owners' to edit."""

from django.contrib import admin

from furima.shipping.models import AddressAccess


@admin.register(AddressAccess)
class AddressAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "staff", "trade", "reason")
    ordering = ("-at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from furima.market.models import Listing


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "seller", "price", "status", "created_at")
    list_filter = ("status", "shipping_payer", "ship_within")
    search_fields = ("title", "seller__username")
    readonly_fields = ("status", "created_at", "updated_at")

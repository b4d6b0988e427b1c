from django.contrib import admin

from furima.market.models import Listing, ListingComment


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "seller", "price", "status", "created_at")
    list_filter = ("status", "shipping_payer", "ship_within")
    search_fields = ("title", "seller__username")
    readonly_fields = ("status", "created_at", "updated_at")


@admin.register(ListingComment)
class ListingCommentAdmin(admin.ModelAdmin):
    """Raw comments for staff; deleting one for good is the admin's, erasing its text (and
    keeping its place in the thread) is `comment_delete`'s, which staff may call too."""

    list_display = ("id", "listing", "author", "by_seller", "created_at", "deleted_at")
    list_filter = ("by_seller",)
    search_fields = ("body", "author__username", "listing__title")
    raw_id_fields = ("listing", "author")
    readonly_fields = ("created_at", "deleted_at", "idempotency_key")

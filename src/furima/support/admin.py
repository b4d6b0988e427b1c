"""Raw data for the rare case; daily support work happens on the desk (/support/)."""

from django.contrib import admin

from furima.support.models import Inquiry, InquiryMessage


class InquiryMessageInline(admin.TabularInline):
    model = InquiryMessage
    extra = 0
    readonly_fields = ("sender", "author", "body", "at")
    can_delete = False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "category", "status", "user", "email", "trade", "due_at")
    list_filter = ("status", "category")
    search_fields = ("subject", "email", "user__username")
    raw_id_fields = ("user", "trade", "assignee")
    inlines = (InquiryMessageInline,)

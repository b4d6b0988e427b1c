from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from furima.accounts.models import ApiToken, Profile, User
from furima.accounts.selectors import TOKEN_STATUS_LABELS, api_token_status
from furima.accounts.services import api_token_revoke


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class FurimaUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    fieldsets = (*(UserAdmin.fieldsets or ()), ("furima", {"fields": ("display_name",)}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their user (web page or `furima api_token create`), since a token
    is shown only once; staff see them, and revoke them."""

    list_display = ("id", "user", "name", "status", "created_at", "expires_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "status",
    )
    exclude = ("digest", "password_fingerprint")
    actions = ("revoke_tokens",)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("status"))
    def status(self, token: ApiToken) -> str:
        return str(TOKEN_STATUS_LABELS[api_token_status(token)])

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token_id=token.pk)
        self.message_user(request, _("Revoked %(count)d token(s).") % {"count": queryset.count()})

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from furima.accounts.models import Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class FurimaUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    fieldsets = (*UserAdmin.fieldsets, ("furima", {"fields": ("display_name",)}))

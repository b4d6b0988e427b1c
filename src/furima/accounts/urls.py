from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from furima.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("users/<str:username>/", views.profile, name="profile"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    # Django's own password views; a changed password also stops the user's other sessions
    # and every API token made before it.
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"submit": _("Change password")},
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_done.html",
            extra_context={
                "message": _(
                    "Your password was changed. Your other sessions and API tokens no longer work."
                ),
                "next_url": reverse_lazy("mypage"),
                "next_label": _("My page"),
            },
        ),
        name="password_change_done",
    ),
]

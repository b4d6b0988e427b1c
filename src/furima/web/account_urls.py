"""/accounts/: the account's own pages (`accounts/views.py`), the public profile
(`web/mypage.py`) and Django's password views, under the `accounts:` names."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from furima.accounts import views
from furima.accounts.forms import OutboxPasswordResetForm
from furima.web import mypage

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("users/<str:username>/", mypage.profile, name="profile"),
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
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=OutboxPasswordResetForm,
            template_name="registration/password_form.html",
            subject_template_name="accounts/mail/password_reset_subject.txt",
            email_template_name="accounts/mail/password_reset_body.txt",
            success_url=reverse_lazy("accounts:password_reset_sent"),
            extra_context={
                "intro": _("Enter the e-mail address of your account: we mail you a link."),
                "submit": _("Send the link"),
            },
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_done.html",
            extra_context={
                "message": _(
                    "If an account has that address, a mail with a link is on its way."
                    " The link works once, for a limited time."
                ),
                "next_url": reverse_lazy("home"),
                "next_label": _("Back to the top page"),
            },
        ),
        name="password_reset_sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_form.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"submit": _("Change password")},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_done.html",
            extra_context={
                "message": _("Your password was set. Log in with it."),
                "next_url": reverse_lazy("login"),
                "next_label": _("Log in"),
            },
        ),
        name="password_reset_complete",
    ),
]

"""Sign-up, profile edit, API tokens and password reset: Django's own password checks and
views, plus the name other traders see (never one that passes for furima's staff)."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from furima.accounts.models import User
from furima.accounts.names import imitates_staff
from furima.accounts.services import MAX_BIO_LENGTH

STAFF_NAME_REFUSED = _("This name could be mistaken for furima's staff. Please choose another.")


def _not_staff_like(value: str) -> str:
    if imitates_staff(value):
        raise forms.ValidationError(STAFF_NAME_REFUSED, code="staff_name")
    return value


class SignupForm(UserCreationForm):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

    def clean_username(self):
        return _not_staff_like(super().clean_username())

    def clean_display_name(self):
        return _not_staff_like(self.cleaned_data["display_name"])

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This e-mail address is already used by another account."), code="unique"
            )
        return email


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    bio = forms.CharField(
        label=_("Self-introduction"),
        max_length=MAX_BIO_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_display_name(self):
        return _not_staff_like(self.cleaned_data["display_name"])


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name (what the token is for)"), max_length=60, required=False)
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("1 year")),
        ],
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail is written to furima's outbox (delivered by the
    worker with retries, like every notice) in the language the person asked in."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        language = translation.get_language() or settings.LANGUAGE_CODE
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send = import_string(settings.FURIMA_ACCOUNT_MAIL)
        send(
            key=f"password-reset:{context['user'].pk}:{secrets.token_hex(8)}",
            subject=subject,
            body=body,
            language=language,
            address=to_email,
        )

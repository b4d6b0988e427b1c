"""Sign-up: Django's own password checks, plus the name other traders see."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from furima.accounts.models import User


class SignupForm(UserCreationForm):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

"""The notification preferences form: which mails, and the language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from furima.notify.models import MailKind


class PreferencesForm(forms.Form):
    mails = forms.MultipleChoiceField(
        label=_("Send me mails about"),
        choices=MailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everything also appears in your notifications on furima."),
    )
    language = forms.ChoiceField(
        label=_("Language of your pages and mails"), choices=settings.LANGUAGES
    )

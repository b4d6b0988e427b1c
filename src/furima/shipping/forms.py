"""The address form (web). The service re-checks and normalises every field; the form gives
field-level messages in the user's language and keeps what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from furima.shipping.prefectures import prefecture_choices
from furima.shipping.validation import (
    MAX_CITY_LENGTH,
    MAX_LINE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PHONE_LENGTH,
)

FIELD_MESSAGES = {
    "name": _("Enter the recipient's name."),
    "postal_code": _("Enter the 7-digit postal code, such as 123-4567."),
    "prefecture": _("Choose the prefecture."),
    "city": _("Enter the city, ward, town or village."),
    "address_line1": _("Enter the rest of the address (town and block number)."),
    "address_line2": _("Check the building and room."),
    "phone": _("Enter a Japanese phone number, such as 090-1234-5678."),
}
"""What the page says beside a field the service refused (`AddressInvalid.field`)."""


class AddressForm(forms.Form):
    name = forms.CharField(label=_("Name (recipient)"), max_length=MAX_NAME_LENGTH)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "placeholder": "123-4567"}),
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"))
    city = forms.CharField(
        label=_("City, ward, town or village"),
        max_length=MAX_CITY_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    address_line1 = forms.CharField(
        label=_("Town and block number"),
        max_length=MAX_LINE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label=_("Building and room (optional)"),
        max_length=MAX_LINE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=MAX_PHONE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the language of this request (the names are data).
        self.fields["prefecture"].choices = [("", "---------"), *prefecture_choices()]

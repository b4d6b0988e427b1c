"""The 出品 form. The service re-checks everything; the form gives field-level messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from furima.market.models import MAX_PRICE, MIN_PRICE, ShippingPayer, ShipWithin
from furima.market.services import MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    price = forms.IntegerField(label=_("Price (yen)"), min_value=MIN_PRICE, max_value=MAX_PRICE)
    shipping_payer = forms.ChoiceField(
        label=_("Shipping paid by"), choices=ShippingPayer.choices, initial=ShippingPayer.SELLER
    )
    ship_within = forms.ChoiceField(
        label=_("Ships within"), choices=ShipWithin.choices, initial=ShipWithin.DAYS_2_3
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)


class PurchaseForm(forms.Form):
    """The confirmation step's hidden fields: what the buyer was shown, sent back with the
    purchase so a listing edited in between cannot be bought unseen."""

    expected_price = forms.IntegerField(widget=forms.HiddenInput)
    shipping_payer = forms.ChoiceField(choices=ShippingPayer.choices, widget=forms.HiddenInput)
    ship_within = forms.ChoiceField(choices=ShipWithin.choices, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

"""The 出品 form. The service re-checks everything; the form gives field-level messages."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from furima.market.catalog import (
    UNDECIDED_SHIPPING,
    Condition,
    category_choices,
    shipping_method_choices,
)
from furima.market.models import (
    MAX_BRAND_LENGTH,
    MAX_PRICE,
    MIN_PRICE,
    ShippingPayer,
    ShipWithin,
)
from furima.market.services import MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Condition.choices,
        initial=Condition.NO_VISIBLE_WEAR,
        required=False,  # the service's default then
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    brand = forms.CharField(label=_("Brand"), max_length=MAX_BRAND_LENGTH, required=False)
    price = forms.IntegerField(
        label=_("Price (yen)"),
        min_value=MIN_PRICE,
        max_value=MAX_PRICE,
        # Progressive enhancement: with htmx the fee and profit follow the price as it is
        # typed; without it they are shown after each submit.
        widget=forms.NumberInput(
            attrs={
                "hx-get": reverse_lazy("market:fee_preview"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#fee-preview",
                "hx-swap": "outerHTML",
                "inputmode": "numeric",
            }
        ),
    )
    shipping_payer = forms.ChoiceField(
        label=_("Shipping paid by"), choices=ShippingPayer.choices, initial=ShippingPayer.SELLER
    )
    shipping_method = forms.ChoiceField(
        label=_("Shipping method"), initial=UNDECIDED_SHIPPING, required=False
    )
    ship_within = forms.ChoiceField(
        label=_("Ships within"), choices=ShipWithin.choices, initial=ShipWithin.DAYS_2_3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the language of this request (the catalogue's names are data).
        self.fields["category"].choices = [("", "---------"), *category_choices()]
        self.fields["shipping_method"].choices = shipping_method_choices()


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)


class PurchaseForm(forms.Form):
    """The confirmation step's hidden fields: what the buyer was shown, sent back with the
    purchase so a listing edited in between cannot be bought unseen."""

    expected_price = forms.IntegerField(widget=forms.HiddenInput)
    shipping_payer = forms.ChoiceField(choices=ShippingPayer.choices, widget=forms.HiddenInput)
    ship_within = forms.ChoiceField(choices=ShipWithin.choices, widget=forms.HiddenInput)
    shipping_method = forms.CharField(max_length=40, widget=forms.HiddenInput)
    address = forms.IntegerField(required=False)  # a radio per address; the service checks
    idempotency_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

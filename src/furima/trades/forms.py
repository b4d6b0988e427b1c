"""The trade screen's forms (one per action, all posting to the same endpoint) and the
purchase's confirmation step, which starts a trade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from furima.market.models import ShippingPayer, ShipWithin
from furima.process import Action
from furima.process.commands import MAX_COMMENT_LENGTH, MAX_TEXT_LENGTH, MAX_TRACKING_NUMBER_LENGTH
from furima.trades.models import TradeRating

PARTY_ACTIONS = [
    Action.MESSAGE,
    Action.SHIP,
    Action.REMIND,
    Action.RATE,
    Action.REQUEST_OPERATOR,
    Action.REPORT_PROBLEM,
    Action.PROXY_RATE,
    Action.CANCEL,
    Action.RESOLVE_PROBLEM,
    Action.REQUEST_CANCEL,
    Action.ACCEPT_CANCEL,
    Action.DECLINE_CANCEL,
]


class ActionForm(forms.Form):
    """Every field any action takes; the engine says which ones an action needs."""

    action = forms.ChoiceField(choices=[(a.value, a.value) for a in PARTY_ACTIONS])
    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", "—"), *TradeRating.choices]
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), required=False, max_length=MAX_TRACKING_NUMBER_LENGTH
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_TEXT_LENGTH)
    idempotency_key = forms.CharField(required=False, max_length=100)
    confirmed = forms.BooleanField(required=False)  # the second click of a final step


class PurchaseForm(forms.Form):
    """The confirmation step's hidden fields: what the buyer was shown, sent back with the
    purchase so a listing edited in between cannot be bought unseen."""

    expected_price = forms.IntegerField(widget=forms.HiddenInput)
    shipping_payer = forms.ChoiceField(choices=ShippingPayer.choices, widget=forms.HiddenInput)
    ship_within = forms.ChoiceField(choices=ShipWithin.choices, widget=forms.HiddenInput)
    shipping_method = forms.CharField(max_length=40, widget=forms.HiddenInput)
    address = forms.IntegerField(required=False)  # a radio per address; the service checks
    idempotency_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

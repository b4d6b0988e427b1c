"""The 出品 form. The service re-checks everything; the form gives field-level messages."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from furima.market.catalog import (
    UNDECIDED_SHIPPING,
    Condition,
    catalog,
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
from furima.market.search import MAX_QUERY_LENGTH, ListingSearch
from furima.market.services import MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe). The files are checked by
    the photo service (Pillow), not here: the form only collects them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data]
        return [one(data, initial)] if data else []


class ListingForm(forms.Form):
    field_order = ("photos",)  # photos first, as the flea-market apps ask for them
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
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 10 photos (JPEG, PNG or WebP); the first is the cover."),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "data-photo-preview": ""}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the language of this request (the catalogue's names are data).
        self.fields["category"].choices = [("", "---------"), *category_choices()]
        self.fields["shipping_method"].choices = shipping_method_choices()


class PhotoRemovalForm(forms.Form):
    """The edit page's "remove" checkboxes, one per current photo (drawn by the template)."""

    remove_photos = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_photos"].choices = [(p.pk, str(p.pk)) for p in photos]


class SearchForm(forms.Form):
    """The search page's keyword, filters and sort (`market.search.ListingSearch`). A value
    that does not validate is dropped with a message; the rest of the search still runs."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=MAX_QUERY_LENGTH)
    category = forms.ChoiceField(label=_("Category"), required=False)
    price_min = forms.IntegerField(
        label=_("Price from (yen)"), required=False, min_value=0, max_value=MAX_PRICE
    )
    price_max = forms.IntegerField(
        label=_("Price up to (yen)"), required=False, min_value=0, max_value=MAX_PRICE
    )
    condition = forms.ChoiceField(
        label=_("Condition"),
        required=False,
        choices=[("", _("Any condition")), *Condition.choices],
    )
    status = forms.ChoiceField(
        label=_("Sales status"),
        required=False,
        choices=[("all", _("On sale and sold")), ("on_sale", _("On sale")), ("sold", _("Sold"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("price_asc", _("Price: low to high")),
            ("price_desc", _("Price: high to low")),
        ],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        groups = [
            (top.name(), [(top.id, _("All of %(name)s") % {"name": top.name()}), *leaves])
            for (top, _children), (_name, leaves) in zip(
                catalog().top_categories, category_choices(), strict=True
            )
        ]
        self.fields["category"].choices = [("", _("All categories")), *groups]

    def search(self) -> ListingSearch:
        """The search asked for: the fields that validated, defaults for the others."""
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "")
        }
        return ListingSearch(
            query=data.get("q", "").strip(),
            category=data.get("category", ""),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            condition=data.get("condition", ""),
            status=data.get("status", "all"),
            sort=data.get("sort", "newest"),
        )

"""Listings: what a seller offers, at a price in yen, with who pays shipping and how soon
the seller promises to ship (the promise the ship-by deadline is computed from)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from furima.market.catalog import UNDECIDED_SHIPPING, Condition, catalog, shipping_method

MIN_PRICE = 300
MAX_PRICE = 9_999_999
"""Yen, as the big flea markets bound them: low enough to sell a paperback, and a cap that
keeps escrow sums far inside a 64-bit integer."""
MAX_BRAND_LENGTH = 50


class ShippingPayer(models.TextChoices):
    SELLER = "seller", _("shipping included (seller pays)")
    BUYER = "buyer", _("cash on delivery (buyer pays)")


class ShipWithin(models.TextChoices):
    """Days from payment until the seller ships; the keys are the engine's own."""

    DAYS_1_2 = "1-2", _("1–2 days")
    DAYS_2_3 = "2-3", _("2–3 days")
    DAYS_4_7 = "4-7", _("4–7 days")


class ListingStatus(models.TextChoices):
    ON_SALE = "on_sale", _("on sale")
    SOLD = "sold", _("sold")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Listing(models.Model):
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listings"
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    price = models.PositiveIntegerField(_("price (yen)"))
    shipping_payer = models.CharField(
        _("shipping paid by"),
        max_length=10,
        choices=ShippingPayer.choices,
        default=ShippingPayer.SELLER,
    )
    ship_within = models.CharField(
        _("ships within"), max_length=3, choices=ShipWithin.choices, default=ShipWithin.DAYS_2_3
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.NO_VISIBLE_WEAR
    )
    category = models.CharField(_("category"), max_length=40, blank=True)  # a leaf's id
    brand = models.CharField(_("brand"), max_length=MAX_BRAND_LENGTH, blank=True)
    shipping_method = models.CharField(
        _("shipping method"), max_length=40, default=UNDECIDED_SHIPPING
    )  # an id from the catalogue (data/catalog.toml)
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.ON_SALE
    )
    created_at = models.DateTimeField(_("listed at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=["status", "-created_at"], name="listing_status_recent_idx"),
            models.Index(fields=["seller", "status"], name="listing_seller_status_idx"),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(price__gte=MIN_PRICE, price__lte=MAX_PRICE),
                name="listing_price_in_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} (¥{self.price:,})"

    @property
    def category_entry(self):
        return catalog().categories.get(self.category)

    @property
    def shipping(self):
        """The shipping method's catalogue entry: its names, `tracked`, `anonymous`."""
        return shipping_method(self.shipping_method)

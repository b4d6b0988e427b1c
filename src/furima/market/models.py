"""Listings: what a seller offers, at a price in yen, with who pays shipping and how soon
the seller promises to ship (the promise the ship-by deadline is computed from)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from furima.market.catalog import UNDECIDED_SHIPPING, Condition, catalog, shipping_method
from furima.process.model import SHIP_WITHIN_CHOICES

MIN_PRICE = 300
MAX_PRICE = 9_999_999
"""Yen, as the big flea markets bound them: low enough to sell a paperback, and a cap that
keeps escrow sums far inside a 64-bit integer."""
MAX_BRAND_LENGTH = 50


class ShippingPayer(models.TextChoices):
    SELLER = "seller", _("shipping included (seller pays)")
    BUYER = "buyer", _("cash on delivery (buyer pays)")


def _ship_within_label(key: str):
    low, high = key.split("-")
    return format_lazy(_("{low}–{high} days"), low=low, high=high)


# django-stubs types only the (name, label) forms of this call, not Enum's functional API
# with a list of (member, value) pairs, which Django supports.
ShipWithin = models.TextChoices(  # type: ignore[call-overload]
    "ShipWithin",
    [
        (f"DAYS_{key.replace('-', '_')}", (key, _ship_within_label(key)))
        for key in SHIP_WITHIN_CHOICES
    ],
)
ShipWithin.__doc__ = """Days from payment until the seller ships: the engine's options
(`process.model.SHIP_WITHIN_CHOICES`, the one definition), labelled for the forms."""


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
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    # Kept by the like service in the transaction that adds or removes a like, so a card
    # shows the count without a query per card (see `ListingLike`).

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=["status", "-created_at"], name="listing_status_recent_idx"),
            models.Index(fields=["seller", "status"], name="listing_seller_status_idx"),
            # The search's sorts (market.search.SORTS) walk these, newest or cheapest first.
            models.Index(fields=["-created_at", "-id"], name="listing_recent_idx"),
            models.Index(fields=["price", "id"], name="listing_price_idx"),
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
    def thumbnail_url(self) -> str:
        """The cover photo's thumbnail, or "" (the card shows a placeholder). Lists prefetch
        `photos` (`market.selectors`), so a page of cards costs one more query, not one each."""
        photos = self.photos.all()
        return photos[0].thumbnail.url if photos else ""

    @property
    def shipping(self):
        """The shipping method's catalogue entry: its names, `tracked`, `anonymous`."""
        return shipping_method(self.shipping_method)


class ListingPhoto(models.Model):
    """One of a listing's photos, already checked and resized (`furima.market.images`). The
    files live in Django's storage under names nobody can guess or reuse, so they may be
    cached for ever; `position` 0 is the cover the cards show."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    image = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("listing", "position")
        constraints = (
            models.UniqueConstraint(
                fields=["listing", "position"], name="listing_photo_position_unique"
            ),
        )

    def __str__(self) -> str:
        return f"photo {self.position + 1} of listing {self.listing_id}"


MAX_COMMENT_LENGTH = 1000
"""Characters in one question or answer: a few paragraphs, as the flea markets allow."""


class ListingComment(models.Model):
    """A public question or answer (コメント) on a listing, shown to everyone, oldest first.

    A deleted comment keeps its row and its place in the thread (answers below it still read
    in order) but loses its text: the page shows 「このコメントは削除されました」."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listing_comments"
    )
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    by_seller = models.BooleanField(default=False)  # the seller's answer, marked as such
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (
            models.Index(fields=["listing", "created_at", "id"], name="comment_listing_idx"),
            # The rate limit counts one author's recent comments.
            models.Index(fields=["author", "created_at"], name="comment_author_recent_idx"),
        )
        constraints = (
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="comment_idempotency_key_unique",
            ),
        )

    def __str__(self) -> str:
        return f"comment {self.pk} on listing {self.listing_id}"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class ListingLike(models.Model):
    """One user's いいね on a listing: at most one per user and listing."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_likes"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # マイページ's liked items, newest like first (keyset pages).
            models.Index(fields=["user", "-created_at", "-id"], name="like_user_recent_idx"),
        )
        constraints = (
            models.UniqueConstraint(fields=["user", "listing"], name="like_once_per_user"),
        )

    def __str__(self) -> str:
        return f"like of {self.user_id} on listing {self.listing_id}"

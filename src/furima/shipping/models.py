"""Shipping addresses: a buyer's address book, the copy a trade keeps of the one chosen at
purchase, and the log of every time support staff looked at a trade's address.

The trade's copy is what the parcel goes to: editing or deleting the address book entry
later never changes where a bought item is shipped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from furima.shipping.prefectures import prefectures
from furima.shipping.validation import MAX_CITY_LENGTH, MAX_LINE_LENGTH, MAX_NAME_LENGTH

MAX_ADDRESSES = 20
"""Per user: enough for home, work, family; a bound on what one account can store."""


class AddressData(models.Model):
    """The fields of an address, normalised (see `furima.shipping.validation`)."""

    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    postal_code = models.CharField(_("postal code"), max_length=7)  # seven digits
    prefecture = models.CharField(_("prefecture"), max_length=2)  # JIS code, "13"
    city = models.CharField(_("city"), max_length=MAX_CITY_LENGTH)
    address_line1 = models.CharField(_("address"), max_length=MAX_LINE_LENGTH)
    address_line2 = models.CharField(_("building, room"), max_length=MAX_LINE_LENGTH, blank=True)
    phone = models.CharField(_("phone"), max_length=20)

    class Meta:
        abstract = True

    @property
    def postal_code_display(self) -> str:
        return f"〒{self.postal_code[:3]}-{self.postal_code[3:]}"

    @property
    def prefecture_entry(self):
        return prefectures().get(self.prefecture)

    def lines(self) -> list[str]:
        """As on a shipping label: 〒, prefecture and city and street, building, name."""
        prefecture = self.prefecture_entry
        street = f"{prefecture.name() if prefecture else ''}{self.city}{self.address_line1}"
        return [
            line
            for line in (self.postal_code_display, street, self.address_line2, self.name)
            if line
        ]


class Address(AddressData):
    """One entry of a user's address book (お届け先)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["user", "-created_at", "-id"], name="address_user_idx"),)

    def __str__(self) -> str:
        return f"{self.name} {self.postal_code_display}"


class TradeAddress(AddressData):
    """Where the trade's parcel goes: a copy of the buyer's address taken at purchase."""

    trade = models.OneToOneField("trades.Trade", on_delete=models.CASCADE, related_name="ship_to")

    def __str__(self) -> str:
        return f"ship-to of trade {self.trade_id}"


class AddressAccess(models.Model):
    """A member of support staff was shown a trade's shipping address: who, when, which
    trade. Append-only; listed for staff at /support/address-log/."""

    trade = models.ForeignKey("trades.Trade", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["-at", "-id"], name="address_access_recent_idx"),)

    def __str__(self) -> str:
        return f"{self.staff} saw the address of trade {self.trade_id} at {self.at}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("the address access log is append-only")
        super().save(*args, **kwargs)

"""What a listing is described with, as data: the six conditions, the two-level category
tree and the shipping methods (`data/catalog.toml`), and the fee preview.

Categories and shipping methods carry their Japanese and English names in the data file, so
adding one needs no code and no catalogue update; `name()` picks the active language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from furima.process import default_registry
from furima.process.ledger import fee_for

CATALOG_FILE = Path(__file__).with_name("data") / "catalog.toml"


class Condition(models.TextChoices):
    """The six grades Japanese flea markets share."""

    NEW = "new", _("New, unused")
    LIKE_NEW = "like_new", _("Like new")
    NO_VISIBLE_WEAR = "no_visible_wear", _("No noticeable scratches or stains")
    SOME_WEAR = "some_wear", _("Slight scratches or stains")
    VISIBLE_WEAR = "visible_wear", _("Scratches or stains")
    POOR = "poor", _("Poor overall condition")


@dataclass(frozen=True)
class Named:
    id: str
    ja: str
    en: str

    def name(self) -> str:
        return self.en if (get_language() or "ja").startswith("en") else self.ja

    def __str__(self) -> str:
        return self.name()


@dataclass(frozen=True)
class Category(Named):
    parent: Named | None = None

    def path(self) -> str:
        """「家電・スマホ・カメラ > オーディオ機器」"""
        return f"{self.parent.name()} > {self.name()}" if self.parent else self.name()


@dataclass(frozen=True)
class Carrier(Named):
    tracking_pattern: str = ""  # a regular expression over the normalised number
    tracking_example: str = ""


TRACKING_RULES = ("required", "optional", "none")
"""Whether the shipping notice of a method needs, may take, or takes no tracking number."""


@dataclass(frozen=True)
class ShippingMethod(Named):
    anonymous: bool = False
    carrier: Carrier | None = None
    tracking_number: str = "optional"  # one of TRACKING_RULES

    @property
    def tracked(self) -> bool:
        """The service always gives a tracking number (the notice requires it)."""
        return self.tracking_number == "required"


@dataclass(frozen=True)
class Catalog:
    top_categories: tuple[tuple[Named, tuple[Category, ...]], ...]
    categories: dict[str, Category]  # the leaves, by id: what a listing stores
    shipping_methods: dict[str, ShippingMethod]
    carriers: dict[str, Carrier]


@cache
def catalog() -> Catalog:
    data = tomllib.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    tops = []
    leaves: dict[str, Category] = {}
    for top in data["category"]:
        parent = Named(top["id"], top["ja"], top["en"])
        children = tuple(
            Category(c["id"], c["ja"], c["en"], parent=parent) for c in top["children"]
        )
        tops.append((parent, children))
        for child in children:
            if child.id in leaves:
                raise ValueError(f"{CATALOG_FILE}: category {child.id} appears twice")
            leaves[child.id] = child
    carriers = {
        c["id"]: Carrier(c["id"], c["ja"], c["en"], c["tracking_pattern"], c["tracking_example"])
        for c in data["carrier"]
    }
    methods = {}
    for m in data["shipping_method"]:
        if m["tracking_number"] not in TRACKING_RULES or (
            m["carrier"] and m["carrier"] not in carriers
        ):
            raise ValueError(f"{CATALOG_FILE}: shipping method {m['id']}: bad carrier or rule")
        methods[m["id"]] = ShippingMethod(
            m["id"],
            m["ja"],
            m["en"],
            anonymous=m["anonymous"],
            carrier=carriers.get(m["carrier"]),
            tracking_number=m["tracking_number"],
        )
    return Catalog(tuple(tops), leaves, methods, carriers)


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a <select> with one <optgroup> per top category, in the active language."""
    return [
        (top.name(), [(c.id, c.name()) for c in children])
        for top, children in catalog().top_categories
    ]


def shipping_method_choices() -> list[tuple[str, str]]:
    return [(m.id, m.name()) for m in catalog().shipping_methods.values()]


UNDECIDED_SHIPPING = "undecided"


def shipping_method(method_id: str) -> ShippingMethod:
    """The catalogue entry of `method_id` (an unknown id — a method since removed from the
    data — reads as "not decided yet")."""
    methods = catalog().shipping_methods
    return methods.get(method_id) or methods[UNDECIDED_SHIPPING]


@dataclass(frozen=True)
class FeePreview:
    price: int
    fee_percent: int
    fee: int
    profit: int  # 販売利益: what reaches the seller's balance


def fee_preview(price: int) -> FeePreview:
    """The fee and the seller's profit under the platform's policy (the one new trades get,
    `FURIMA_DEFAULT_POLICY`), computed by the engine's own fee rule."""
    policy = default_registry().get(settings.FURIMA_DEFAULT_POLICY)
    fee = fee_for(price, policy.fee_percent)
    return FeePreview(price=price, fee_percent=policy.fee_percent, fee=fee, profit=price - fee)

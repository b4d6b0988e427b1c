"""Seed a fresh database for `make fuzz`: a buyer with an API token, trades in every state
they can act on, and items on sale. Prints shell assignments for tools/fuzz.sh."""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furima.settings")

import django

django.setup()

from furima.accounts.services import api_token_create, user_create  # noqa: E402
from furima.market.services import listing_create  # noqa: E402
from furima.trades.purchase import listing_purchase  # noqa: E402
from furima.trades.services import trade_act  # noqa: E402

STEPS = {
    "awaiting_shipment": [],
    "shipped": [("seller", "ship", {"tracking_number": "1234"})],
    "awaiting_seller_rating": [
        ("seller", "ship", {"tracking_number": "1234"}),
        ("buyer", "rate", {"rating": "good"}),
    ],
}


def main() -> None:
    suffix = secrets.token_hex(3)
    buyer = user_create(username=f"fuzz-buyer-{suffix}")
    seller = user_create(username=f"fuzz-seller-{suffix}")
    parties = {"buyer": buyer, "seller": seller}
    trades = []
    for state, steps in STEPS.items():
        for _ in range(3):
            listing = listing_create(seller=seller, title=f"fuzz {state}", price=1000)
            trade = listing_purchase(listing_id=listing.pk, buyer=buyer, expected_price=1000)
            for who, action, fields in steps:
                trade_act(trade_id=trade.pk, user=parties[who], action=action, **fields)
            trades.append(trade.pk)
    listings = [
        listing_create(seller=seller, title=f"fuzz item {n}", price=1000).pk for n in range(20)
    ]
    print(f"FUZZ_TOKEN={api_token_create(user=buyer)}")
    print(f"FUZZ_TRADES={','.join(map(str, trades))}")
    print(f"FUZZ_LISTINGS={','.join(map(str, listings))}")


if __name__ == "__main__":
    main()

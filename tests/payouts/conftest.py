from __future__ import annotations

import pytest

from furima.payouts.services import bank_account_save
from tests.factories import make_trade

PRICE = 3000
NET = 2850  # furima's 5% fee


def with_bank_account(user):
    bank_account_save(
        user=user,
        bank_name="みずほ銀行",
        branch_name="渋谷支店",
        account_type="ordinary",
        number="1234567",
        holder_kana="ヤマダ ハナコ",
    )
    return user


@pytest.fixture
def seller(db, clock):
    """A seller with one sale released (NET yen in the sales balance) and a bank account."""
    trade = make_trade("awaiting_seller_rating", price=PRICE)
    trade.seller.email = f"{trade.seller.username}@example.test"
    trade.seller.save(update_fields=["email"])
    return with_bank_account(trade.seller)

"""売上金's statement: every posting on the seller's balance, from the ledger, with the
running balance (issue 13, point 12)."""

from __future__ import annotations

from furima.ledger.selectors import sales_balance, sales_statement
from tests.clients import signed_in
from tests.factories import make_trade, make_user


def test_the_statement_lists_each_sale_with_its_fee_and_the_running_balance(db, clock):
    seller = make_user()
    make_trade("awaiting_seller_rating", seller=seller, price=2000)  # furima: 5% fee
    clock.advance(days=1)
    make_trade("awaiting_seller_rating", seller=seller, price=3300)
    lines = sales_statement(user=seller)
    assert [(line.kind, line.amount, line.fee, line.balance) for line in lines] == [
        ("release", 3135, 165, 5035),
        ("release", 1900, 100, 1900),
    ]
    assert lines[0].balance == sales_balance(user=seller)


def test_my_page_shows_the_statement(db, clock):
    trade = make_trade("awaiting_seller_rating", price=2000)
    html = signed_in(trade.seller).get("/mypage/").content.decode()
    assert 'data-testid="statement"' in html
    assert "手数料 100円" in html and "+1,900円" in html

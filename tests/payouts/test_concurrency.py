"""Payout requests racing on PostgreSQL: threads with their own connections. The seller's
sales account lock must let one balance be spent once, and one idempotency key request once.
(SQLite has one writer at a time by construction: nothing to race; CI runs these on
PostgreSQL.)"""

from __future__ import annotations

import pytest

from furima.errors import FurimaError
from furima.ledger.selectors import sales_balance
from furima.payouts.models import Payout
from furima.payouts.services import payout_request
from tests.factories import make_trade
from tests.payouts.conftest import NET, PRICE, with_bank_account
from tests.worker.test_concurrency import race

# Left out of the SQLite run (deselected, not skipped): the PostgreSQL run has them.
pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def racing_seller(transactional_db, clock):
    return with_bank_account(make_trade("awaiting_seller_rating", price=PRICE).seller)


def test_two_requests_for_most_of_the_balance_spend_it_once(racing_seller):
    outcomes = race(
        lambda: payout_request(user=racing_seller, amount=2000),
        lambda: payout_request(user=racing_seller, amount=2000),
    )
    paid = [o for o in outcomes if isinstance(o, Payout)]
    refused = [o for o in outcomes if isinstance(o, FurimaError)]
    assert len(paid) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "insufficient_balance"
    assert sales_balance(user=racing_seller) == NET - 2000


def test_a_double_submit_with_one_key_requests_once(racing_seller):
    outcomes = race(
        lambda: payout_request(user=racing_seller, amount=1000, idempotency_key="form-1"),
        lambda: payout_request(user=racing_seller, amount=1000, idempotency_key="form-1"),
    )
    assert all(isinstance(o, Payout) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Payout.objects.count() == 1
    assert sales_balance(user=racing_seller) == NET - 1000

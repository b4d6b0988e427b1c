"""Claims after the payout (furima@2) through the trade service and the ledger: the refund
comes back from the seller's sales balance, the platform guarantee pays what that cannot
cover, and the seller's next sales pay the guarantee back first. (The suite-wide ledger
check runs after each of these tests too.)"""

from __future__ import annotations

import pytest

from furima.ledger.selectors import buyer_payments_balance, sales_balance, seller_debt
from furima.process.ledger import fee_for
from furima.trades.errors import ActionRejected
from furima.trades.selectors import trade_deadlines
from furima.trades.services import trade_act
from tests.factories import make_staff, make_trade, make_user

PRICE = 3000
NET = PRICE - fee_for(PRICE, 5)


@pytest.fixture
def evaluated(db, clock):
    """A furima@2 trade whose buyer rated it: the seller has been paid."""
    trade = make_trade("awaiting_seller_rating", price=PRICE)
    assert (trade.policy_id, trade.policy_version) == ("furima", 2)
    assert sales_balance(user=trade.seller) == NET
    return trade


def _claim(trade, clock, text="箱を開けたら割れていました"):
    clock.advance(days=2)
    return trade_act(trade_id=trade.pk, user=trade.buyer, action="report_problem", text=text)


def _resolve(trade, clock, refund):
    clock.advance(days=1)
    return trade_act(
        trade_id=trade.pk,
        user=make_staff(),
        action="resolve_problem",
        actor="operator",
        refund=refund,
        text="確認のうえ返金しました",
    )


def test_a_claim_is_accepted_after_the_payout_and_reaches_the_seller(evaluated, clock):
    result = _claim(evaluated, clock)
    assert result.event.notify == ["seller"]
    evaluated.refresh_from_db()
    assert evaluated.problem_text == "箱を開けたら割れていました"
    assert evaluated.problem_closed_at is None


def test_a_partial_refund_comes_from_the_sellers_sales_balance(evaluated, clock):
    _claim(evaluated, clock)
    _resolve(evaluated, clock, 1000)
    evaluated.refresh_from_db()
    assert evaluated.refunded_after_payout == 1000
    assert sales_balance(user=evaluated.seller) == NET - 1000
    assert buyer_payments_balance(user=evaluated.buyer) == -PRICE + 1000
    assert seller_debt(user=evaluated.seller) == 0


def test_what_the_balance_cannot_cover_the_guarantee_pays_and_the_seller_owes(evaluated, clock):
    _claim(evaluated, clock)
    _resolve(evaluated, clock, PRICE)  # the fee was never the seller's: the balance is short
    assert sales_balance(user=evaluated.seller) == 0
    assert buyer_payments_balance(user=evaluated.buyer) == 0
    assert seller_debt(user=evaluated.seller) == PRICE - NET


def test_the_sellers_next_sale_pays_the_guarantee_back_first(evaluated, clock):
    _claim(evaluated, clock)
    _resolve(evaluated, clock, PRICE)
    owed = PRICE - NET
    make_trade("awaiting_seller_rating", seller=evaluated.seller, price=PRICE)
    assert seller_debt(user=evaluated.seller) == 0
    assert sales_balance(user=evaluated.seller) == NET - owed


def test_a_refund_larger_than_the_price_is_refused_and_writes_nothing(evaluated, clock):
    _claim(evaluated, clock)
    with pytest.raises(ActionRejected) as refused:
        _resolve(evaluated, clock, PRICE + 1)
    assert refused.value.code == "invalid_input"
    evaluated.refresh_from_db()
    assert evaluated.refunded_after_payout == 0
    assert evaluated.problem_closed_at is None
    assert sales_balance(user=evaluated.seller) == NET


def test_a_stranger_cannot_claim(evaluated, clock):
    from furima.errors import NotFound

    with pytest.raises(NotFound):
        trade_act(
            trade_id=evaluated.pk, user=make_user(), action="report_problem", text="割れていた"
        )


def test_the_trade_shows_when_the_claims_window_closes(evaluated, clock):
    found = trade_deadlines(trade=evaluated)
    assert found.claim_window_closes_at is not None
    assert found.claim_window_closes_at > clock.now()


def _api(user, trade, body):
    import json

    from django.test import Client

    from furima.accounts.services import api_token_create

    return Client().post(
        f"/api/v1/trades/{trade.pk}/actions",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_token_create(user=user)}"},
    )


def test_over_http_a_claim_and_its_partial_refund_show_on_the_trade(evaluated, clock):
    claimed = _api(evaluated.buyer, evaluated, {"action": "report_problem", "text": "欠けていた"})
    assert claimed.status_code == 200
    assert claimed.json()["deadlines"]["claim_window_closes_at"] is not None
    staff = make_staff()
    body = {"action": "resolve_problem", "actor": "operator", "refund": 1200}
    negative = _api(staff, evaluated, {**body, "refund": -5})
    assert negative.status_code == 422
    assert negative.json()["error"] == "validation_error"
    too_much = _api(staff, evaluated, {**body, "refund": PRICE + 1})
    assert (too_much.status_code, too_much.json()["error"]) == (400, "invalid_input")
    done = _api(staff, evaluated, body)
    assert done.status_code == 200
    assert done.json()["refunded_after_payout"] == 1200
    assert sales_balance(user=evaluated.seller) == NET - 1200


def test_both_sides_see_until_when_a_problem_may_still_be_reported(evaluated, clock, client):
    client.force_login(evaluated.buyer)
    page = client.get(f"/trades/{evaluated.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "まで報告できます" in page.content.decode()
    client.force_login(evaluated.seller)
    page = client.get(f"/trades/{evaluated.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "まで商品の問題を報告できます" in page.content.decode()
    _claim(evaluated, clock)
    page = client.get(f"/trades/{evaluated.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "評価期限は止まっています" in page.content.decode()


def test_staff_settle_a_claim_with_a_partial_refund_from_the_desk(evaluated, clock, client):
    _claim(evaluated, clock)
    client.force_login(make_staff())
    page = client.get(f"/support/trades/{evaluated.pk}/")
    assert 'data-testid="desk-refund"' in page.content.decode()
    done = client.post(
        f"/support/trades/{evaluated.pk}/act/",
        {"action": "resolve_problem", "text": "一部返金で合意", "refund": "700"},
    )
    assert done.status_code == 302
    evaluated.refresh_from_db()
    assert evaluated.refunded_after_payout == 700
    assert sales_balance(user=evaluated.seller) == NET - 700

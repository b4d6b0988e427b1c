"""/api/v1/me/payouts, /me/balance and /me/bank-account: the same services as マイページ,
errors in the API's `{"error", "detail"}` shape, one request per Idempotency-Key."""

from __future__ import annotations

import json

from furima.ledger.selectors import sales_balance
from furima.payouts.models import Payout
from furima.payouts.services import payout_mark_paid, payout_request
from tests.api.test_api import Api
from tests.factories import make_staff, make_trade, make_user
from tests.payouts.conftest import NET, PRICE


def _put(api: Api, path: str, body: dict):
    return api.client.put(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=api.headers
    )


def test_a_payout_request_answers_201_with_the_request(seller):
    response = Api(seller).post("/me/payouts", {"amount": 2000})
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("status", "amount", "fee", "transfer")} == {
        "status": "requested",
        "amount": 2000,
        "fee": 200,
        "transfer": 1800,
    }
    assert body["requested_at"] == "2026-03-02T10:00:00+09:00"
    assert body["bank_account"] == "みずほ銀行 渋谷支店 ••••567"
    assert sales_balance(user=seller) == NET - 2000


def test_no_amount_requests_everything(seller):
    assert Api(seller).post("/me/payouts", {}).json()["amount"] == NET


def test_the_same_idempotency_key_requests_once(seller):
    api = Api(seller)
    first = api.post("/me/payouts", {"amount": 1000}, **{"Idempotency-Key": "k-1"})
    again = api.post("/me/payouts", {"amount": 1000}, **{"Idempotency-Key": "k-1"})
    assert first.json() == again.json()
    assert Payout.objects.count() == 1
    changed = api.post("/me/payouts", {"amount": 1500}, **{"Idempotency-Key": "k-1"})
    assert changed.status_code == 409 and changed.json()["error"] == "conflict"


def test_more_than_the_balance_is_409_insufficient_balance(seller):
    response = Api(seller).post("/me/payouts", {"amount": NET + 1})
    assert response.status_code == 409
    assert response.json()["error"] == "insufficient_balance"
    assert not Payout.objects.exists()


def test_below_the_minimum_or_not_a_positive_number_is_refused(seller):
    api = Api(seller)
    below = api.post("/me/payouts", {"amount": 999})
    assert below.status_code == 400 and below.json()["error"] == "invalid_input"
    for amount in (0, -1, "many", 1.5):
        response = api.post("/me/payouts", {"amount": amount})
        assert response.status_code in (400, 422), amount
        assert set(response.json()) == {"error", "detail"}
    assert not Payout.objects.exists()


def test_the_list_is_the_callers_own_newest_first_and_paged(seller, clock):
    first = payout_request(user=seller, amount=1000)
    clock.advance(hours=1)
    second = payout_request(user=seller, amount=1000)
    payout_mark_paid(payout_id=first.pk, user=make_staff())
    other = make_trade("awaiting_seller_rating", price=PRICE).seller
    assert Api(other).get("/me/payouts").json() == []
    page = Api(seller).get("/me/payouts", limit=1)
    assert [p["id"] for p in page.json()] == [second.pk]
    assert 'rel="next"' in page["Link"]
    rest = Api(seller).client.get(
        page["Link"][1 : page["Link"].index(">")], headers=Api(seller).headers
    )
    assert [(p["id"], p["status"]) for p in rest.json()] == [(first.pk, "paid")]


def test_the_balance_says_what_may_be_requested(seller):
    assert Api(seller).get("/me/balance").json() == {
        "balance": NET,
        "debt": 0,
        "available": NET,
        "fee": 200,
        "minimum": 1000,
    }


def test_the_bank_account_is_put_in_katakana_and_read_back_masked(db, clock):
    api = Api(make_user())
    assert api.get("/me/bank-account").status_code == 404
    body = {
        "bank_name": "楽天銀行",
        "branch_name": "第一営業支店",
        "account_type": "ordinary",
        "number": "7654321",
        "holder_kana": "ｽｽﾞｷ ｲﾁﾛｳ",
    }
    saved = _put(api, "/me/bank-account", body)
    assert saved.status_code == 200
    assert saved.json()["holder_kana"] == "スズキ イチロウ"
    assert api.get("/me/bank-account").json()["number"] == "••••321"
    refused = _put(api, "/me/bank-account", {**body, "holder_kana": "Suzuki"})
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("holder_kana")


def test_payouts_need_credentials(db):
    assert Api().get("/me/payouts").status_code == 401
    assert Api().post("/me/payouts", {"amount": 1000}).status_code == 401

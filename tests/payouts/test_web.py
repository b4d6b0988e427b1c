"""振込申請 on マイページ's 売上金 card and the bank account page: the balance, the fee and
the minimum explained, the request form (a plain post; the same form twice requests once),
the history of requests, and every refusal shown on the page with nothing written."""

from __future__ import annotations

import re

from django.test import Client

from furima.ledger.selectors import sales_balance
from furima.payouts.models import BankAccount, Payout
from furima.payouts.services import payout_mark_paid, payout_reject, payout_request
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user
from tests.payouts.conftest import NET, PRICE


def _form_key(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def test_the_sales_card_explains_the_fee_and_the_minimum_and_offers_the_form(seller):
    html = signed_in(seller).get("/mypage/").content.decode()
    assert 'data-testid="sales-balance">2,850円' in html
    assert "振込手数料200円" in html and "1,000円" in html
    assert 'data-testid="payout-form"' in html
    assert "みずほ銀行 渋谷支店 普通 ••••567 ヤマダ ハナコ" in html
    assert "2,850円まで申請できます" in html


def test_without_a_bank_account_the_card_asks_for_one(db, clock):
    seller = make_trade("awaiting_seller_rating", price=PRICE).seller
    html = signed_in(seller).get("/mypage/").content.decode()
    assert 'data-testid="bank-missing"' in html
    assert 'data-testid="payout-form"' not in html


def test_below_the_minimum_the_card_says_so_instead_of_a_form(db, clock):
    from tests.payouts.conftest import with_bank_account

    seller = with_bank_account(make_trade("awaiting_seller_rating", price=900).seller)
    html = signed_in(seller).get("/mypage/").content.decode()
    assert 'data-testid="payout-not-yet"' in html
    assert 'data-testid="payout-form"' not in html


def test_a_request_posted_from_the_form_moves_the_money_and_shows_in_the_history(seller):
    client = signed_in(seller)
    key = _form_key(client.get("/mypage/").content.decode())
    response = client.post("/mypage/payouts/request/", {"amount": "2000", "idempotency_key": key})
    assert response.status_code == 302 and response["Location"] == "/mypage/#sales"
    assert sales_balance(user=seller) == NET - 2000
    html = client.get("/mypage/").content.decode()
    assert "振込申請を受け付けました" in html and "1,800円" in html
    history = html[html.index('data-testid="payout-history"') :]
    assert "申請中" in history and "2,000円" in history
    statement = html[html.index('data-testid="statement"') :]
    assert "振込申請 #" in statement and "振込手数料 200円" in statement


def test_an_empty_amount_requests_everything(seller):
    client = signed_in(seller)
    client.post("/mypage/payouts/request/", {"amount": "", "idempotency_key": "k1"})
    assert Payout.objects.get().amount == NET


def test_the_same_form_sent_twice_requests_once(seller):
    client = signed_in(seller)
    key = _form_key(client.get("/mypage/").content.decode())
    for _ in range(2):
        client.post("/mypage/payouts/request/", {"amount": "1000", "idempotency_key": key})
    assert Payout.objects.count() == 1
    assert sales_balance(user=seller) == NET - 1000


def test_too_much_is_refused_on_the_page_and_writes_nothing(seller):
    response = signed_in(seller).post(
        "/mypage/payouts/request/", {"amount": "5000", "idempotency_key": "k1"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html and "申請できる金額を超えています" in html
    assert 'aria-invalid="true"' in html
    assert not Payout.objects.exists()


def test_below_the_minimum_is_refused_on_the_page(seller):
    response = signed_in(seller).post(
        "/mypage/payouts/request/", {"amount": "500", "idempotency_key": "k1"}
    )
    assert response.status_code == 400
    assert "最低申請額に足りません" in response.content.decode()
    assert not Payout.objects.exists()


def test_a_paid_and_a_rejected_request_read_so_in_the_history(seller):
    staff = make_staff()
    paid = payout_request(user=seller, amount=1000)
    rejected = payout_request(user=seller, amount=1000)
    payout_mark_paid(payout_id=paid.pk, user=staff)
    payout_reject(payout_id=rejected.pk, user=staff, reason="口座名義が違います")
    html = signed_in(seller).get("/mypage/").content.decode()
    history = html[html.index('data-testid="payout-history"') :]
    assert "振込済み" in history and "差し戻し" in history and "口座名義が違います" in history


def test_the_bank_account_page_saves_the_account_in_katakana(db, clock):
    user = make_user()
    client = signed_in(user)
    assert client.get("/mypage/payouts/bank/").status_code == 200
    response = client.post(
        "/mypage/payouts/bank/",
        {
            "bank_name": "ゆうちょ銀行",
            "branch_name": "〇一八",
            "account_type": "ordinary",
            "number": "１２３４５６７",
            "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
        },
    )
    assert response.status_code == 302
    account = BankAccount.objects.get(user=user)
    assert (account.number, account.holder_kana) == ("1234567", "ヤマダ タロウ")


def test_a_holder_name_not_in_katakana_is_refused_at_its_field(db, clock):
    user = make_user()
    response = signed_in(user).post(
        "/mypage/payouts/bank/",
        {
            "bank_name": "ゆうちょ銀行",
            "branch_name": "〇一八",
            "account_type": "ordinary",
            "number": "1234567",
            "holder_kana": "山田太郎",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["holder_kana"]
    assert not BankAccount.objects.exists()


def test_payout_pages_need_a_login(db):
    client = Client()
    assert client.get("/mypage/payouts/bank/").status_code == 302
    assert client.post("/mypage/payouts/request/", {"amount": "1000"}).status_code == 302
    assert client.get("/mypage/payouts/request/").status_code == 405


def test_the_sales_card_speaks_english_on_english_pages(seller):
    client = signed_in(seller)
    html = client.get("/mypage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Each request costs a transfer fee of ¥200" in html
    assert "The smallest request is ¥1,000, the fee included." in html
    assert "Request the payout" in html

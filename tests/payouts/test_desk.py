"""The staff desk's payout queue: open requests first, oldest first, with the bank details
to transfer to; one click marks one paid or rejects it with a reason. Staff only: a 404
for everyone else, on every URL."""

from __future__ import annotations

from django.test import Client

from furima.ledger.models import LedgerPosting
from furima.ledger.selectors import sales_balance
from furima.payouts.models import Payout
from furima.payouts.services import payout_request
from tests.clients import signed_in
from tests.factories import make_staff, make_user
from tests.payouts.conftest import NET


def test_everyone_but_staff_gets_404_on_every_payout_desk_url(seller):
    payout = payout_request(user=seller, amount=1000)
    for client in (Client(), signed_in(make_user()), signed_in(seller)):
        assert client.get("/support/payouts/").status_code == 404
        assert client.post(f"/support/payouts/{payout.pk}/paid/").status_code == 404
        response = client.post(f"/support/payouts/{payout.pk}/reject/", {"reason": "x"})
        assert response.status_code == 404
    assert Payout.objects.get().status == "requested"


def test_the_queue_lists_open_requests_oldest_first_with_the_account(seller, clock, settings):
    settings.FURIMA_PAYOUT_MINIMUM = 800
    first = payout_request(user=seller, amount=1000)
    clock.advance(hours=2)
    second = payout_request(user=seller, amount=1000)
    staff = signed_in(make_staff())
    staff.post(f"/support/payouts/{first.pk}/paid/")
    clock.advance(hours=1)
    third = payout_request(user=seller, amount=850)
    response = staff.get("/support/payouts/")
    assert [p.pk for p in response.context["open"]] == [second.pk, third.pk]
    assert [p.pk for p in response.context["decided"]] == [first.pk]
    html = response.content.decode()
    assert "みずほ銀行 渋谷支店" in html and "1234567" in html and "ヤマダ ハナコ" in html
    desk = staff.get("/support/").content.decode()
    assert "振込申請（未振込 2件）" in desk


def test_one_click_marks_a_request_paid_once(seller):
    payout = payout_request(user=seller, amount=2000)
    staff = signed_in(make_staff())
    for _ in range(2):  # a double click
        response = staff.post(f"/support/payouts/{payout.pk}/paid/")
        assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == "paid"
    assert LedgerPosting.objects.filter(payout=payout, kind="payout_paid").count() == 1


def test_a_rejection_needs_a_reason_and_returns_the_money(seller):
    payout = payout_request(user=seller, amount=2000)
    staff = signed_in(make_staff())
    refused = staff.post(f"/support/payouts/{payout.pk}/reject/", {"reason": " "})
    assert refused.status_code == 400
    assert "差し戻す理由を入力してください" in refused.content.decode()
    assert Payout.objects.get().status == "requested"
    staff.post(f"/support/payouts/{payout.pk}/reject/", {"reason": "口座が見つかりません"})
    payout.refresh_from_db()
    assert (payout.status, payout.reject_reason) == ("rejected", "口座が見つかりません")
    assert sales_balance(user=seller) == NET


def test_a_request_decided_one_way_cannot_be_decided_the_other(seller):
    payout = payout_request(user=seller, amount=2000)
    staff = signed_in(make_staff())
    staff.post(f"/support/payouts/{payout.pk}/paid/")
    response = staff.post(f"/support/payouts/{payout.pk}/reject/", {"reason": "やはり"})
    assert response.status_code == 409
    assert "すでに処理されています" in response.content.decode()
    assert Payout.objects.get().status == "paid"


def test_an_unknown_request_is_404(db):
    assert signed_in(make_staff()).post("/support/payouts/999/paid/").status_code == 404


def test_both_lists_page_on_their_own_cursors(seller, clock, settings, monkeypatch):
    from furima.support import desk_payouts

    monkeypatch.setattr(desk_payouts, "QUEUE_SIZE", 2)
    monkeypatch.setattr(desk_payouts, "DECIDED_SHOWN", 1)
    settings.FURIMA_PAYOUT_MINIMUM = 100
    made = []
    for _ in range(5):
        made.append(payout_request(user=seller, amount=300))
        clock.advance(minutes=1)
    staff = signed_in(make_staff())
    for payout in made[:2]:
        staff.post(f"/support/payouts/{payout.pk}/paid/")
        clock.advance(minutes=1)

    first = staff.get("/support/payouts/")
    assert [p.pk for p in first.context["open"]] == [made[2].pk, made[3].pk]
    assert [p.pk for p in first.context["decided"]] == [made[1].pk]  # decided last
    following = staff.get(f"/support/payouts/?{first.context['open_next']}")
    assert [p.pk for p in following.context["open"]] == [made[4].pk]
    assert following.context["open_next"] is None
    assert [p.pk for p in following.context["decided"]] == [made[1].pk]  # kept its place
    older = staff.get(f"/support/payouts/?{first.context['decided_next']}")
    assert [p.pk for p in older.context["decided"]] == [made[0].pk]
    assert staff.get("/support/payouts/?open=garbage").status_code == 404

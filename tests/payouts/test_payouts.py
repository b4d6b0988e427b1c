"""振込申請 through the service and the ledger (issue 13, point 12): a request moves the
amount out of the sales balance into payable (the fee to the platform's transfer fees);
staff pay it (payable → paid out) or reject it (all of it back). The suite-wide ledger
check runs after each test, so every test here also proves the postings balance and agree
with the requests' statuses."""

from __future__ import annotations

import pytest

from furima.errors import Conflict, FurimaError, NotFound
from furima.ledger.models import AccountKind, LedgerEntry, LedgerPosting
from furima.ledger.selectors import sales_balance, sales_statement, seller_debt
from furima.notify.models import Notification, NotificationSettings
from furima.payouts.ledger_checks import ledger_invariant_violations
from furima.payouts.models import Payout
from furima.payouts.selectors import payout_available
from furima.payouts.services import (
    bank_account_save,
    payout_mark_paid,
    payout_reject,
    payout_request,
)
from furima.trades.models import Trade
from furima.trades.services import trade_act
from tests.factories import make_staff, make_trade, make_user
from tests.payouts.conftest import NET, PRICE, with_bank_account


def _held(kind: str) -> int:
    return sum(LedgerEntry.objects.filter(account__kind=kind).values_list("amount", flat=True))


def _writes_nothing(seller):
    assert not Payout.objects.filter(seller=seller).exists()
    assert not LedgerPosting.objects.filter(payout__isnull=False).exists()
    assert sales_balance(user=seller) == NET


def test_a_request_moves_the_amount_from_the_balance_to_payable_and_the_fee_to_the_platform(
    seller,
):
    payout = payout_request(user=seller, amount=2000)
    assert (payout.status, payout.amount, payout.fee, payout.transfer) == (
        "requested",
        2000,
        200,
        1800,
    )
    assert sales_balance(user=seller) == NET - 2000
    assert _held(AccountKind.PAYOUTS_PAYABLE) == 1800
    assert _held(AccountKind.PAYOUT_FEES) == 200
    assert (payout.bank_name, payout.account_number, payout.holder_kana) == (
        "みずほ銀行",
        "1234567",
        "ヤマダ ハナコ",
    )


def test_no_amount_requests_everything_that_may_be_requested(seller):
    assert payout_request(user=seller).amount == NET
    assert sales_balance(user=seller) == 0


def test_the_statement_shows_the_request_with_its_fee_and_the_balance_after_it(seller):
    payout = payout_request(user=seller, amount=2000)
    line = sales_statement(user=seller)[0]
    assert (line.kind, line.payout_id, line.trade_id) == ("payout_request", payout.pk, None)
    assert (line.amount, line.fee, line.balance) == (-2000, 200, NET - 2000)


def test_a_request_below_the_minimum_is_refused_and_writes_nothing(seller):
    with pytest.raises(FurimaError) as refused:
        payout_request(user=seller, amount=999)
    assert refused.value.code == "invalid_input"
    assert "1000" in refused.value.detail
    _writes_nothing(seller)


def test_a_request_above_the_balance_is_refused_and_writes_nothing(seller):
    with pytest.raises(FurimaError) as refused:
        payout_request(user=seller, amount=NET + 1)
    assert refused.value.code == "insufficient_balance"
    _writes_nothing(seller)


@pytest.mark.parametrize("amount", [-5, 0, True, "2000", 12.5])
def test_an_amount_that_is_not_a_positive_whole_number_of_yen_is_refused(seller, amount):
    with pytest.raises(FurimaError):
        payout_request(user=seller, amount=amount)
    _writes_nothing(seller)


def test_without_a_bank_account_nothing_can_be_requested(db, clock):
    seller = make_trade("awaiting_seller_rating", price=PRICE).seller
    with pytest.raises(FurimaError, match="bank account"):
        payout_request(user=seller, amount=2000)
    _writes_nothing(seller)


def test_the_settings_set_the_fee_and_the_minimum(seller, settings):
    settings.FURIMA_PAYOUT_FEE = 0
    settings.FURIMA_PAYOUT_MINIMUM = 1
    payout = payout_request(user=seller, amount=1)
    assert (payout.fee, payout.transfer) == (0, 1)
    assert _held(AccountKind.PAYOUT_FEES) == 0


def test_what_the_seller_owes_the_guarantee_cannot_be_paid_out(seller, clock):
    """Money in a request is out of reach of a later refund: the guarantee pays it and the
    seller owes it. If the request is then rejected, the returned balance first covers
    that debt — a new request may not hand the guarantee's money out."""
    trade = Trade.objects.get(seller=seller)
    payout = payout_request(user=seller)  # everything: the balance is 0
    clock.advance(days=2)
    trade_act(trade_id=trade.pk, user=trade.buyer, action="report_problem", text="割れていた")
    clock.advance(days=1)
    trade_act(
        trade_id=trade.pk,
        user=make_staff(),
        action="resolve_problem",
        actor="operator",
        refund=PRICE,
        text="返金しました",
    )
    assert seller_debt(user=seller) == PRICE  # the whole refund: the balance held nothing
    payout_reject(payout_id=payout.pk, user=make_staff(), reason="口座名義が違います")
    outlook = payout_available(user=seller)
    assert (outlook.balance, outlook.debt, outlook.available) == (NET, PRICE, 0)
    assert not outlook.can_request
    with pytest.raises(FurimaError) as refused:
        payout_request(user=seller, amount=1000)
    assert refused.value.code == "insufficient_balance"
    assert "owed" in refused.value.detail


def test_the_same_idempotency_key_twice_requests_once(seller):
    first = payout_request(user=seller, amount=2000, idempotency_key="form-1")
    again = payout_request(user=seller, amount=2000, idempotency_key="form-1")
    assert again.pk == first.pk
    assert Payout.objects.count() == 1
    assert LedgerPosting.objects.filter(payout__isnull=False).count() == 1
    assert sales_balance(user=seller) == NET - 2000


def test_the_same_key_for_a_different_amount_is_a_conflict(seller):
    payout_request(user=seller, amount=1000, idempotency_key="form-1")
    with pytest.raises(Conflict):
        payout_request(user=seller, amount=1500, idempotency_key="form-1")
    assert Payout.objects.count() == 1


def test_keys_are_the_sellers_own(seller):
    other = with_bank_account(make_user())
    payout_request(user=seller, amount=1000, idempotency_key="same")
    with pytest.raises(FurimaError) as refused:
        payout_request(user=other, amount=1000, idempotency_key="same")
    assert refused.value.code == "insufficient_balance"  # theirs, not the first seller's


def test_marking_it_paid_moves_payable_to_paid_out_and_tells_the_seller(seller):
    payout = payout_request(user=seller, amount=2000)
    staff = make_staff()
    paid = payout_mark_paid(payout_id=payout.pk, user=staff)
    assert (paid.status, paid.decided_by) == ("paid", staff)
    assert _held(AccountKind.PAYOUTS_PAYABLE) == 0
    assert _held(AccountKind.PAYOUTS_PAID) == 1800
    assert sales_balance(user=seller) == NET - 2000
    notices = Notification.objects.filter(recipient=seller, dedupe_key__startswith="payout-paid")
    assert sorted(notices.values_list("channel", flat=True)) == ["inapp", "mail"]
    mail = notices.get(channel="mail")
    assert "1,800円" in mail.subject
    assert "1234567" not in mail.body and "••••567" in mail.body  # the number, masked
    assert "http" in mail.body and "/mypage/" in mail.body


def test_marking_it_paid_twice_pays_once(seller):
    payout = payout_request(user=seller, amount=2000)
    staff = make_staff()
    payout_mark_paid(payout_id=payout.pk, user=staff)
    payout_mark_paid(payout_id=payout.pk, user=staff)
    assert LedgerPosting.objects.filter(payout=payout, kind="payout_paid").count() == 1
    assert _held(AccountKind.PAYOUTS_PAID) == 1800
    assert Notification.objects.filter(dedupe_key__startswith="payout-paid").count() == 2


def test_a_rejection_returns_everything_to_the_balance_and_says_why(seller):
    payout = payout_request(user=seller, amount=2000)
    payout_reject(payout_id=payout.pk, user=make_staff(), reason="口座番号が見つかりません")
    assert sales_balance(user=seller) == NET
    assert _held(AccountKind.PAYOUTS_PAYABLE) == 0
    assert _held(AccountKind.PAYOUT_FEES) == 0
    mail = Notification.objects.get(recipient=seller, channel="mail")
    assert "口座番号が見つかりません" in mail.body
    assert "2,000円" in mail.body
    assert sales_statement(user=seller)[0].kind == "payout_rejected"


def test_a_rejection_needs_a_reason(seller):
    payout = payout_request(user=seller, amount=2000)
    with pytest.raises(FurimaError, match="reason"):
        payout_reject(payout_id=payout.pk, user=make_staff(), reason="  ")
    assert Payout.objects.get().status == "requested"


def test_a_decided_request_cannot_be_decided_the_other_way(seller):
    paid = payout_request(user=seller, amount=1000)
    rejected = payout_request(user=seller, amount=1000)
    staff = make_staff()
    payout_mark_paid(payout_id=paid.pk, user=staff)
    payout_reject(payout_id=rejected.pk, user=staff, reason="名義違い")
    with pytest.raises(Conflict):
        payout_reject(payout_id=paid.pk, user=staff, reason="やはり")
    with pytest.raises(Conflict):
        payout_mark_paid(payout_id=rejected.pk, user=staff)


def test_only_staff_decide(seller):
    payout = payout_request(user=seller, amount=1000)
    for somebody in (seller, make_user()):
        with pytest.raises(NotFound):
            payout_mark_paid(payout_id=payout.pk, user=somebody)
        with pytest.raises(NotFound):
            payout_reject(payout_id=payout.pk, user=somebody, reason="x")
    assert Payout.objects.get().status == "requested"


def test_the_invariants_notice_a_request_whose_postings_disagree_with_its_status(seller):
    payout = payout_request(user=seller, amount=2000)
    Payout.objects.filter(pk=payout.pk).update(status="paid")  # as if paid with no posting
    problems = ledger_invariant_violations()
    assert any(f"payout {payout.pk} holds 1800 yen in payouts_payable" in p for p in problems)
    assert any(f"payout {payout.pk} holds 0 yen in payouts_paid" in p for p in problems)
    Payout.objects.filter(pk=payout.pk).update(status="requested")
    assert ledger_invariant_violations() == []


def test_the_invariants_notice_a_balance_that_payouts_do_not_explain(seller):
    payout = payout_request(user=seller, amount=2000)
    Payout.objects.filter(pk=payout.pk).update(amount=1500)
    problems = ledger_invariant_violations()
    assert any(f"payout {payout.pk} holds -2000 yen in seller_sales" in p for p in problems)
    Payout.objects.filter(pk=payout.pk).update(amount=2000)
    assert ledger_invariant_violations() == []


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("holder_kana", "ﾔﾏﾀﾞ　ﾊﾅｺ", "ヤマダ ハナコ"),  # half-width kana, full-width space
        ("holder_kana", "サトウ　ユーコ", "サトウ ユーコ"),
        ("number", "１２３４５６７", "1234567"),
        ("number", "12345", "0012345"),
        ("bank_name", " 三井住友銀行 ", "三井住友銀行"),
    ],
)
def test_the_bank_account_is_stored_in_one_form(db, clock, field, value, stored):
    fields = {
        "bank_name": "みずほ銀行",
        "branch_name": "渋谷支店",
        "account_type": "ordinary",
        "number": "1234567",
        "holder_kana": "ヤマダ ハナコ",
        field: value,
    }
    account = bank_account_save(user=make_user(), **fields)
    assert getattr(account, field) == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("holder_kana", "山田花子"),
        ("holder_kana", "yamada hanako"),
        ("holder_kana", "やまだ はなこ"),
        ("holder_kana", ""),
        ("number", "12345678"),
        ("number", "12a4567"),
        ("number", ""),
        ("account_type", "savings"),
        ("bank_name", ""),
        ("branch_name", "支" * 41),
    ],
)
def test_a_bank_account_with_a_wrong_field_is_refused_naming_it(db, clock, field, value):
    fields = {
        "bank_name": "みずほ銀行",
        "branch_name": "渋谷支店",
        "account_type": "ordinary",
        "number": "1234567",
        "holder_kana": "ヤマダ ハナコ",
        field: value,
    }
    user = make_user()
    with pytest.raises(FurimaError) as refused:
        bank_account_save(user=user, **fields)
    assert refused.value.detail.startswith(field)
    assert not hasattr(user, "bank_account") or user.bank_account is None


def test_a_request_keeps_the_account_it_was_made_with(seller):
    payout = payout_request(user=seller, amount=1000)
    bank_account_save(
        user=seller,
        bank_name="ゆうちょ銀行",
        branch_name="〇一八",
        account_type="ordinary",
        number="7654321",
        holder_kana="ヤマダ ハナコ",
    )
    payout.refresh_from_db()
    assert (payout.bank_name, payout.account_number) == ("みずほ銀行", "1234567")


def test_the_notice_is_in_the_sellers_own_language(seller):
    NotificationSettings.objects.create(user=seller, language="en")
    payout = payout_request(user=seller, amount=2000)
    payout_reject(payout_id=payout.pk, user=make_staff(), reason="The holder's name differs")
    mail = Notification.objects.get(recipient=seller, channel="mail")
    assert mail.language == "en"
    assert mail.subject == "[furima] Your payout request of ¥2,000 could not be transferred"
    assert "The whole ¥2,000, the transfer fee included, is back" in mail.body

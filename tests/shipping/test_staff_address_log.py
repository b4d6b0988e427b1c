"""Support staff see a trade's shipping address only in the staff desk, by asking for it,
and every look is logged (who, when, which trade, why) in a list staff can read."""

import pytest

from furima.errors import Forbidden
from furima.shipping.models import AddressAccess
from furima.shipping.services import trade_address_reveal
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

STREET = "神宮前1-2-3"


def test_the_desk_trade_view_hides_the_address_until_asked(db):
    trade = make_trade(with_address=True)
    page = signed_in(make_staff()).get(f"/support/trades/{trade.pk}/").content.decode()
    assert STREET not in page
    assert 'data-testid="desk-show-address"' in page
    assert not AddressAccess.objects.exists()


def test_showing_it_logs_who_when_which_trade_and_why(db, clock):
    trade = make_trade(with_address=True, shipping_method="anonymous-takkyubin")
    staff = make_staff("sato")
    response = signed_in(staff).post(
        f"/support/trades/{trade.pk}/address/", {"reason": "配送業者からの問い合わせ"}
    )
    assert response.status_code == 200
    assert STREET in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    access = AddressAccess.objects.get()
    assert (access.staff, access.trade_id, access.at, access.reason) == (
        staff,
        trade.pk,
        clock.now(),
        "配送業者からの問い合わせ",
    )


def test_staff_read_the_log_newest_first(db, clock):
    first, second = make_trade(with_address=True), make_trade(with_address=True)
    staff = make_staff("suzuki")
    trade_address_reveal(trade=first, staff=staff)
    clock.advance(minutes=5)
    trade_address_reveal(trade=second, staff=staff, reason="返品")
    page = signed_in(make_staff()).get("/support/address-log/").content.decode()
    assert 'data-testid="address-log"' in page
    assert page.index(f"#{second.pk} ") < page.index(f"#{first.pk} ")
    assert "suzuki" in page and "返品" in page


def test_only_staff_may_look_and_nothing_is_logged_otherwise(db):
    trade = make_trade(with_address=True)
    for outsider in (make_user(), trade.seller, trade.buyer):
        assert signed_in(outsider).post(f"/support/trades/{trade.pk}/address/").status_code == 404
        assert signed_in(outsider).get("/support/address-log/").status_code == 404
        with pytest.raises(Forbidden):
            trade_address_reveal(trade=trade, staff=outsider)
    assert not AddressAccess.objects.exists()


def test_a_trade_without_an_address_logs_nothing(db):
    trade = make_trade()  # bought by the platform's own caller, without an address
    response = signed_in(make_staff()).post(f"/support/trades/{trade.pk}/address/")
    assert response.status_code == 200
    assert not AddressAccess.objects.exists()


def test_the_log_cannot_be_rewritten(db):
    trade = make_trade(with_address=True)
    trade_address_reveal(trade=trade, staff=make_staff())
    access = AddressAccess.objects.get()
    access.reason = "changed"
    with pytest.raises(ValueError):
        access.save()

"""発送通知 takes the tracking number where the shipping method has one: required, optional or
none per method (catalog data), checked against the carrier's form and stored in one normal
form, which is also how the carrier webhook finds the trade. Both sides see the carrier and
the number on the trade screen and in the API."""

import hashlib
import hmac
import json

import pytest
from django.test import Client

from furima.market.catalog import catalog
from furima.market.tracking import tracking_number_normalise
from furima.trades.errors import FurimaError
from furima.trades.services import trade_act
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import make_trade
from tests.trades.test_refusals import writes_nothing

pytestmark = pytest.mark.usefixtures("clock")
SECRET = "carrier-secret"


def ship(trade, number: str):
    return trade_act(trade_id=trade.pk, user=trade.seller, action="ship", tracking_number=number)


def test_the_rule_is_data_per_method():
    rules = {m.id: m.tracking_number for m in catalog().shipping_methods.values()}
    assert rules["yupack"] == rules["anonymous-takkyubin"] == "required"
    assert rules["teikeigai"] == "optional" and rules["yumail"] == "none"


@pytest.mark.parametrize("method", ["takkyubin", "yupack", "clickpost", "anonymous-yupacket"])
def test_a_tracked_method_requires_the_number(db, method):
    trade = make_trade(shipping_method=method)
    with writes_nothing(trade), pytest.raises(FurimaError) as refused:
        ship(trade, "  ")
    assert refused.value.code == "invalid_input"
    assert "tracking number" in refused.value.detail


def test_an_optional_number_may_be_left_out_or_given(db):
    without = make_trade(shipping_method="teikeigai")
    ship(without, "")
    without.refresh_from_db()
    assert (without.state, without.tracking_number) == ("shipped", "")
    given = make_trade(shipping_method="teikeigai")
    ship(given, "1234-5678-9012")
    given.refresh_from_db()
    assert given.tracking_number == "123456789012"


def test_a_method_without_tracking_refuses_a_number(db):
    trade = make_trade(shipping_method="yumail")
    with writes_nothing(trade), pytest.raises(FurimaError):
        ship(trade, "123456789012")
    ship(trade, "")
    trade.refresh_from_db()
    assert trade.state == "shipped"


@pytest.mark.parametrize(
    ("method", "number", "ok"),
    [
        ("takkyubin", "1234-5678-9012", True),
        ("takkyubin", "１２３４－５６７８－９０１２", True),  # full-width, from a phone keyboard
        ("takkyubin", "12345678901", False),  # Yamato: 12 digits
        ("takkyubin", "1234567890123", False),
        ("takkyubin", "ABCD-5678-9012", False),
        ("yupack", "12345678901", True),  # Japan Post: 11 to 13 digits
        ("yupack", "1234567890123", True),
        ("yupack", "1234567890", False),
        ("yupack", "ej123456789jp", True),  # international form, any case
        ("undecided", "1234", True),  # no carrier chosen: 4 to 30 letters and digits
        ("undecided", "123", False),
    ],
)
def test_the_number_must_have_the_carriers_form(db, method, number, ok):
    trade = make_trade(shipping_method=method)
    if ok:
        ship(trade, number)
        trade.refresh_from_db()
        assert trade.tracking_number == tracking_number_normalise(number)
    else:
        with writes_nothing(trade), pytest.raises(FurimaError):
            ship(trade, number)


def test_the_api_refuses_a_missing_required_number_with_400(db):
    trade = make_trade(shipping_method="yupack")
    response = Api(trade.seller).post(f"/trades/{trade.pk}/actions", {"action": "ship"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_the_ship_form_asks_for_what_the_method_needs(db):
    required = make_trade(shipping_method="takkyubin")
    page = signed_in(required.seller).get(f"/trades/{required.pk}/").content.decode()
    assert 'name="tracking_number"' in page and " required " in page
    none = make_trade(shipping_method="yumail")
    page = signed_in(none.seller).get(f"/trades/{none.pk}/").content.decode()
    assert 'name="tracking_number"' not in page


def test_the_web_shows_why_a_number_was_refused(db):
    trade = make_trade(shipping_method="takkyubin")
    response = signed_in(trade.seller).post(
        f"/trades/{trade.pk}/act/", {"action": "ship", "tracking_number": "12"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "not a tracking number" in html or "追跡番号ではありません" in html


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_both_sides_see_the_carrier_and_the_number(db, who):
    trade = make_trade("shipped", shipping_method="takkyubin")  # 1234-5678-9012
    user = getattr(trade, who)
    body = Api(user).get(f"/trades/{trade.pk}").json()
    assert (body["shipping_method"], body["carrier"]["id"], body["tracking_number"]) == (
        "takkyubin",
        "yamato",
        "123456789012",
    )
    html = signed_in(user).get(f"/trades/{trade.pk}/").content.decode()
    assert 'data-testid="carrier">ヤマト運輸<' in html or "Yamato Transport" in html
    assert "123456789012" in html


def _delivered(settings, number: str):
    settings.FURIMA_CARRIER_SECRET = SECRET
    body = json.dumps({"tracking_number": number, "status": "delivered"}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return Client().post(
        "/api/v1/carrier/events",
        body,
        content_type="application/json",
        headers={"X-Furima-Signature": signature},
    )


@pytest.mark.parametrize("sent", ["123456789012", "1234-5678-9012", "１２３４ ５６７８ ９０１２"])
def test_the_webhook_finds_the_trade_by_the_number_however_it_is_spelt(db, settings, sent):
    trade = make_trade("shipped", shipping_method="takkyubin")  # typed as 1234-5678-9012
    response = _delivered(settings, sent)
    assert response.status_code == 200, response.content
    assert response.json()["trade_id"] == trade.pk
    assert response.json()["tracking_number"] == "123456789012"
    trade.refresh_from_db()
    assert trade.delivered_at is not None


def test_the_webhook_does_not_match_a_different_number(db, settings):
    make_trade("shipped", shipping_method="takkyubin")
    assert _delivered(settings, "1234-5678-9013").status_code == 404
    assert _delivered(settings, "---").status_code == 404

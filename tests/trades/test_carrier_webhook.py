"""The carriers' delivery webhook (CONTRACT.md "Additions"): HMAC-signed, idempotent, and
recorded as `deliver` by the `carrier` through the trade service, so the furima policy's
delivery-keyed clock (`delivered_at + 2d@13:00`) runs."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from furima.trades.models import Rating, Trade, TradeEvent
from furima.trades.selectors import trade_deadlines
from furima.trades.services import timers_apply_due
from tests.factories import act, make_trade

SECRET = "carrier-shared-secret"
TOKYO = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def _carrier_secret(settings):
    settings.FURIMA_CARRIER_SECRET = SECRET


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(event: dict | bytes, signature: str | None = "sign"):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    headers = {}
    if signature == "sign":
        headers["X-Furima-Signature"] = signed(body)
    elif signature is not None:
        headers["X-Furima-Signature"] = signature
    return Client(enforce_csrf_checks=True).post(  # a carrier has no CSRF cookie
        "/api/v1/carrier/events", body, content_type="application/json", headers=headers
    )


def delivered(tracking_number="1234", at=None) -> dict:
    event = {"tracking_number": tracking_number, "status": "delivered"}
    if at is not None:
        event["at"] = at.isoformat()
    return event


def events_of(trade) -> list[tuple[str, str]]:
    return list(TradeEvent.objects.filter(trade=trade).values_list("actor", "action"))


def test_a_signed_delivery_is_recorded_as_the_carriers_deliver(db, clock):
    trade = make_trade("shipped")  # tracking number 1234
    clock.advance(hours=26)
    response = post(delivered(at=clock.now()))
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] is True
    assert response.json()["trade_id"] == trade.pk
    trade.refresh_from_db()
    assert trade.delivered_at == clock.now()
    assert trade.state == "shipped"
    assert events_of(trade)[-1] == ("carrier", "deliver")


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha256=" + "0" * 64, "md5=abc", signed(b"another body")],
)
def test_a_missing_or_bad_signature_is_401_and_writes_nothing(db, signature):
    trade = make_trade("shipped")
    response = post(delivered(), signature=signature)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    trade.refresh_from_db()
    assert trade.delivered_at is None


def test_a_body_signed_with_another_secret_is_401(db):
    make_trade("shipped")
    body = json.dumps(delivered()).encode()
    assert post(body, signature=signed(body, secret="guessed")).status_code == 401


def test_without_a_configured_secret_every_call_is_401(db, settings):
    settings.FURIMA_CARRIER_SECRET = ""
    make_trade("shipped")
    body = json.dumps(delivered()).encode()
    assert post(body, signature=signed(body, secret="")).status_code == 401


def test_the_signature_is_checked_before_the_body_is_read(db):
    assert post(b"not json", signature="sha256=00").status_code == 401


def test_an_unknown_tracking_number_is_404(db):
    make_trade("shipped")
    response = post(delivered(tracking_number="9999-0000"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_repeat_answers_200_with_no_second_effect(db, clock):
    trade = make_trade("shipped")
    clock.advance(days=1)
    first = post(delivered(at=clock.now()))
    clock.advance(hours=3)
    again = post(delivered(at=clock.now()))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["recorded"] is False
    assert again.json()["delivered_at"] == first.json()["delivered_at"]
    assert events_of(trade).count(("carrier", "deliver")) == 1


def test_a_delivery_before_the_shipping_notice_waits_for_it(db, clock):
    """The carrier scans the parcel before the seller sends the shipping notice: no trade
    carries the number yet, so the call is 404 and writes nothing; the carrier's retry after
    the notice is recorded, and the clock runs from the notice, never from before it."""
    trade = make_trade("awaiting_shipment")
    scanned_at = clock.now()
    assert post(delivered(at=scanned_at)).status_code == 404
    assert events_of(trade) == [("buyer", "purchase")]

    clock.advance(hours=5)
    act(trade, "ship")
    response = post(delivered(at=scanned_at))
    assert response.status_code == 200
    trade.refresh_from_db()
    assert trade.delivered_at == trade.shipped_at


def test_a_delivery_after_the_buyers_evaluation_changes_nothing(db):
    trade = make_trade("awaiting_seller_rating")
    response = post(delivered())
    assert response.status_code == 200
    assert response.json()["recorded"] is False
    assert ("carrier", "deliver") not in events_of(trade)


def test_a_scan_time_in_the_future_counts_as_now(db, clock):
    trade = make_trade("shipped")
    post(delivered(at=clock.now() + timedelta(days=3)))
    trade.refresh_from_db()
    assert trade.delivered_at == clock.now()


@pytest.mark.parametrize(
    "event",
    [
        {"tracking_number": "1234", "status": "in_transit"},
        {"tracking_number": "", "status": "delivered"},
        {"tracking_number": "12\u000034", "status": "delivered"},
        {"status": "delivered"},
        {"tracking_number": "1234", "status": "delivered", "at": "2026-03-02T10:00:00"},
        {"tracking_number": "1234", "status": "delivered", "at": "yesterday"},
        [],
    ],
)
def test_a_signed_but_malformed_event_is_422(db, event):
    trade = make_trade("shipped")
    response = post(event)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    trade.refresh_from_db()
    assert trade.delivered_at is None


def test_the_furima_policy_evaluates_receipt_2_days_after_delivery_at_13(db, clock):
    trade = make_trade("shipped")  # Monday 2026-03-02 10:00 JST
    clock.set(datetime(2026, 3, 3, 11, 0, tzinfo=TOKYO))
    assert post(delivered(at=clock.now())).status_code == 200
    trade.refresh_from_db()
    due = datetime(2026, 3, 5, 13, 0, tzinfo=TOKYO)
    assert trade_deadlines(trade=trade).auto_complete_at == due

    clock.set(due - timedelta(minutes=1))
    while timers_apply_due(batch_size=10).claimed:
        pass
    trade.refresh_from_db()
    assert trade.state == "shipped"

    clock.set(due)
    while timers_apply_due(batch_size=10).claimed:
        pass
    trade = Trade.objects.get(pk=trade.pk)
    assert trade.state == "awaiting_seller_rating"
    assert Rating.objects.get(trade=trade, role="buyer").given_by == "system"

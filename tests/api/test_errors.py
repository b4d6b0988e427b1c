"""One error map: every failure on /api/ is `{"error": CODE, "detail": TEXT}` with the status
`furima.errors.HTTP_STATUS` gives its code — whether a service refused, ninja refused, or
Django itself answered (unknown URL, wrong method, oversized body, a crash) — and the web
pages answer the same statuses for the same codes."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings

from furima.errors import HTTP_STATUS, FurimaError, http_status
from furima.trades.models import Message
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import make_listing, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


def test_too_early_is_409_on_the_api_and_on_the_web_alike(db):
    trade = make_trade("shipped")
    api = Api(trade.seller).post(f"/trades/{trade.pk}/actions", {"action": "request_operator"})
    web = signed_in(trade.seller).post(f"/trades/{trade.pk}/act/", {"action": "request_operator"})
    assert api.status_code == web.status_code == 409 == HTTP_STATUS["too_early"]
    assert api.json()["error"] == "too_early"
    assert api.json()["allowed_from"] == "2026-03-07T13:00:00+09:00"


def test_a_furima_error_knows_its_status_from_the_one_table():
    assert FurimaError("x", code="price_changed").http_status == 409
    assert FurimaError("x", code="forbidden").http_status == 403
    assert FurimaError("x").http_status == 400
    assert http_status("payload_too_large") == 413


def test_an_unknown_api_url_is_a_json_404(db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "no such resource"}


def test_a_wrong_method_is_a_json_405_that_names_the_allowed_ones(db):
    response = Client().delete("/api/v1/policies")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_schema_violation_is_422_validation_error(db):
    response = Api(make_user()).post("/listings", {"title": "本", "price": "lots"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error" and "price" in body["detail"]


def test_a_body_that_is_not_json_is_400_invalid_input(db):
    api = Api(make_user())
    response = api.client.post(
        "/api/v1/listings", "{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_a_session_caller_without_csrf_token_is_403_forbidden(db):
    trade = make_trade("shipped")
    client = Client(enforce_csrf_checks=True)
    client.force_login(trade.buyer)
    response = client.post(
        f"/api/v1/trades/{trade.pk}/actions",
        json.dumps({"action": "message", "text": "hi"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_a_crash_on_the_api_is_a_json_500_without_a_traceback(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("furima.market.api.listings_search", broken)
    response = Client(raise_request_exception=False).get("/api/v1/listings")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert "secret" not in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_413_payload_too_large_and_writes_nothing(db):
    trade = make_trade("shipped")
    response = Api(trade.buyer).post(
        f"/trades/{trade.pk}/actions", {"action": "message", "text": "あ" * 2000}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert not Message.objects.filter(trade=trade).exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_web_form_over_the_limit_is_413_too(db):
    trade = make_trade("shipped")
    response = signed_in(trade.buyer).post(
        f"/trades/{trade.pk}/act/", {"action": "message", "text": "x" * 5000}
    )
    assert response.status_code == 413
    assert not Message.objects.filter(trade=trade).exists()


def test_web_and_api_agree_on_every_refusal_of_an_action(db, clock):
    """The same refused action gets the same status from both doors."""
    trade = make_trade("awaiting_shipment")
    cases = [
        ({"action": "rate", "rating": "good"}, "not_allowed_in_state"),
        ({"action": "cancel", "reason": "気が変わった"}, "too_early"),
    ]
    for body, code in cases:
        api = Api(trade.buyer).post(f"/trades/{trade.pk}/actions", body)
        web = signed_in(trade.buyer).post(f"/trades/{trade.pk}/act/", body)
        assert api.json()["error"] == code, body
        assert api.status_code == web.status_code == HTTP_STATUS[code], body


def test_a_cli_command_that_a_service_refuses_exits_2_with_one_line(tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "furima"), "clock", "--forward", "1d"],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "FURIMA_DEMO": "0",
            "FURIMA_SECRET_KEY": "a-key-for-this-test-only-0123456789-abcdefghijklmnop",
            "FURIMA_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "furima.settings",
        },
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "demo mode" in result.stderr


def test_a_listing_that_does_not_exist_is_a_json_404(db):
    make_listing()
    response = Api().get("/listings/999999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_operator_request_made_too_early_names_the_moment_it_opens(db, clock):
    trade = make_trade("shipped")
    clock.advance(timedelta(days=1))
    body = Api(trade.seller).post(f"/trades/{trade.pk}/actions", {"action": "request_operator"})
    assert body.json()["allowed_from"] == "2026-03-07T13:00:00+09:00"

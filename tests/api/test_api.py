"""The HTTP API as CONTRACT.md describes it: /api/v1/, OpenAPI, errors as
{"error": CODE, "detail": TEXT} with a 4xx, Idempotency-Key, and the trade resource."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from furima.accounts.services import api_token_create
from furima.trades.models import Message, Trade
from tests.factories import make_address, make_listing, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")
SEED = Path(__file__).resolve().parents[2] / "examples" / "rakuma-2016-silent-buyer.json"


class Api:
    """A client that speaks JSON with a bearer token, like a script would."""

    def __init__(self, user=None):
        self.client = Client()
        self.user = user
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {api_token_create(user=user)}"

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, body=None, **headers):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def put(self, path, body=None, **headers):
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def delete(self, path, **headers):
        return self.client.delete(f"/api/v1{path}", headers={**self.headers, **headers})


def buy(api: Api, listing, body: dict, **headers):
    """The API purchase, shipped to an address of the buyer's own (added once per client)."""
    if not hasattr(api, "address"):
        api.address = make_address(api.user)
    body = {"address_id": api.address.pk, **body}
    return api.post(f"/listings/{listing.pk}/purchase", body, **headers)


def test_the_openapi_schema_and_docs_are_served(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/trades/{trade_id}/actions" in paths
    assert Client().get("/api/v1/docs").status_code == 200


def test_without_credentials_the_answer_is_401_unauthenticated(db):
    response = Api().get("/trades")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_a_wrong_token_is_401(db):
    api = Api()
    api.headers["Authorization"] = "Bearer not-a-token"
    assert api.get("/trades").status_code == 401


def test_the_trade_resource_carries_the_contract_fields(db):
    trade = make_trade("shipped")
    body = Api(trade.seller).get(f"/trades/{trade.pk}").json()
    for key in (
        "id",
        "state",
        "policy",
        "buyer",
        "seller",
        "price",
        "deadlines",
        "actions",
        "operator_request",
    ):
        assert key in body
    assert body["state"] == "shipped"
    assert body["policy"] == {"id": "furima", "version": 2}
    assert body["deadlines"]["operator_request_allowed_from"] == "2026-03-07T13:00:00+09:00"
    assert body["deadlines"]["ship_by"] is None
    assert "remind" in body["actions"] and "ship" not in body["actions"]
    assert body["actions_later"]["request_operator"] == "2026-03-07T13:00:00+09:00"
    assert body["operator_request"] is None


def test_a_stranger_gets_404_not_found(db):
    trade = make_trade()
    response = Api(make_user()).get(f"/trades/{trade.pk}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_seller_ships_through_the_api(db):
    trade = make_trade()
    response = Api(trade.seller).post(
        f"/trades/{trade.pk}/actions", {"action": "ship", "tracking_number": "1234-5678"}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "shipped"
    assert response.json()["tracking_number"] == "12345678"  # normalised


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("buyer", {"action": "ship"}, 403, "forbidden_actor"),
        ("seller", {"action": "request_operator"}, 409, "too_early"),
        ("buyer", {"action": "rate", "rating": "excellent"}, 400, "invalid_rating"),
        ("buyer", {"action": "message", "text": ""}, 400, "invalid_input"),
        ("seller", {"action": "rate", "rating": "good"}, 409, "not_allowed_in_state"),
        ("buyer", {"action": "teleport"}, 422, "validation_error"),
        ("buyer", {"rating": "good"}, 422, "validation_error"),
        ("buyer", {"action": "rate", "rating": 5}, 422, "validation_error"),
    ],
)
def test_refusals_are_4xx_with_a_code_and_change_nothing(db, who, body, status, code):
    trade = make_trade("shipped")
    revision = trade.revision
    user = trade.buyer if who == "buyer" else trade.seller
    response = Api(user).post(f"/trades/{trade.pk}/actions", body)
    assert response.status_code == status, response.content
    assert response.json()["error"] == code
    assert response.json()["detail"]
    assert Trade.objects.get(pk=trade.pk).revision == revision


def test_too_early_says_from_when(db):
    trade = make_trade("shipped")
    body = (
        Api(trade.seller).post(f"/trades/{trade.pk}/actions", {"action": "request_operator"}).json()
    )
    assert body["allowed_from"] == "2026-03-07T13:00:00+09:00"


def test_an_idempotency_key_makes_a_repeated_request_one_effect(db):
    trade = make_trade("shipped")
    api = Api(trade.buyer)
    for _ in range(2):
        response = api.post(
            f"/trades/{trade.pk}/actions",
            {"action": "message", "text": "届きました"},
            **{"Idempotency-Key": "msg-1"},
        )
        assert response.status_code == 200
    assert Message.objects.filter(trade=trade).count() == 1


def test_buying_through_the_api_and_the_loser_of_a_race_gets_conflict(db):
    listing = make_listing(price=1500)
    first = buy(Api(make_user()), listing, {"expected_price": 1500})
    assert first.status_code == 201
    assert first.json()["state"] == "awaiting_shipment"
    assert first.json()["deadlines"]["ship_by"] is not None
    second = buy(Api(make_user()), listing, {"expected_price": 1500})
    assert second.status_code == 409
    assert second.json()["error"] == "conflict"


def test_staff_may_name_a_purchase_policy(db):
    from tests.factories import make_staff

    listing = make_listing()
    body = buy(Api(make_staff()), listing, {"expected_price": 1200, "policy": "rakuma-2016"}).json()
    assert body["policy"] == {"id": "rakuma-2016", "version": 1}


def test_listings_are_public_and_searchable(db):
    make_listing(title="ワイヤレスイヤホン")
    make_listing(title="文庫本")
    titles = [x["title"] for x in Api().get("/listings", q="イヤホン").json()]
    assert titles == ["ワイヤレスイヤホン"]


def test_the_events_are_the_trades_log(db, clock):
    trade = make_trade("shipped")
    events = Api(trade.buyer).get(f"/trades/{trade.pk}/events").json()
    assert [(e["actor"], e["action"]) for e in events] == [
        ("buyer", "purchase"),
        ("seller", "ship"),
    ]


def test_the_timeline_endpoint_replays_like_the_cli(db):
    body = Api().post("/timeline", json.loads(SEED.read_text(encoding="utf-8"))).json()
    assert body["final"]["state"] == "completed"
    assert body["steps"][3]["allowed_from"] == "2016-12-23T10:00:00+09:00"


def test_an_invalid_timeline_script_is_400(db):
    response = Api().post("/timeline", {"policy": "nosuch", "events": []})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+09:00", "9999-12-31T23:59:00-05:00"])
def test_a_timeline_at_the_ends_of_the_calendar_is_400_not_a_server_error(db, at):
    purchase = {"at": at, "actor": "buyer", "action": "purchase"}
    response = Api().post("/timeline", {"policy": "furima", "events": [purchase]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert "out of range" in response.json()["detail"]


def test_a_timeline_script_over_the_size_cap_is_400(db):
    purchase = {"at": "2016-12-08T21:00:00+09:00", "actor": "buyer", "action": "purchase"}
    script = {"policy": "furima", "events": [purchase], "padding": "x" * 1_000_000}
    response = Api().post("/timeline", script)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_input")


def test_session_callers_need_the_csrf_token(db):
    trade = make_trade("shipped")
    client = Client(enforce_csrf_checks=True)
    client.force_login(trade.buyer)
    response = client.post(
        f"/api/v1/trades/{trade.pk}/actions",
        json.dumps({"action": "message", "text": "hi"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Message.objects.filter(trade=trade).exists()


def test_staff_act_as_the_operator(db, clock):
    from tests.factories import make_staff

    trade = make_trade("shipped")
    clock.advance(timedelta(days=6))
    Api(trade.seller).post(f"/trades/{trade.pk}/actions", {"action": "request_operator"})
    body = (
        Api(make_staff())
        .post(f"/trades/{trade.pk}/actions", {"action": "proxy_rate", "actor": "operator"})
        .json()
    )
    assert body["state"] == "awaiting_seller_rating"
    assert body["ratings"]["buyer"]["by"] == "operator"
    assert body["operator_request"]["status"] == "proxy_rated"

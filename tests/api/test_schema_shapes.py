"""The OpenAPI schema says what the API really accepts: one body per action, discriminated on
`action`, and the timeline script's shape — so generated clients cannot build a request of
the wrong shape, and a fuzzer reaches the rules instead of the parser."""

import pytest
from django.test import Client

from furima.trades.models import Message
from tests.api.test_api import Api
from tests.factories import make_trade

pytestmark = pytest.mark.usefixtures("clock")

ACTIONS = {
    "message",
    "ship",
    "deliver",
    "remind",
    "rate",
    "request_operator",
    "report_problem",
    "proxy_rate",
    "cancel",
    "resolve_problem",
    "request_cancel",
    "accept_cancel",
    "decline_cancel",
}


@pytest.fixture
def openapi(db):
    return Client().get("/api/v1/openapi.json").json()


def _resolve(openapi, schema):
    ref = schema.get("$ref")
    return openapi["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def test_each_action_has_its_own_body_told_apart_by_action(openapi):
    body = openapi["paths"]["/api/v1/trades/{trade_id}/actions"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "action"
    assert set(schema["discriminator"]["mapping"]) == ACTIONS
    rate = _resolve(openapi, {"$ref": schema["discriminator"]["mapping"]["rate"]})
    assert set(rate["required"]) == {"action", "rating"}
    assert rate["properties"]["rating"]["enum"] == ["good", "normal", "bad"]
    message = _resolve(openapi, {"$ref": schema["discriminator"]["mapping"]["message"]})
    assert "text" in message["required"] and "rating" not in message["properties"]
    assert message["properties"]["text"]["maxLength"] == 2000
    remind = _resolve(openapi, {"$ref": schema["discriminator"]["mapping"]["remind"]})
    assert set(remind["properties"]) == {"action", "actor"}


def test_a_body_missing_its_actions_required_field_is_422(db):
    trade = make_trade("shipped")
    response = Api(trade.buyer).post(f"/trades/{trade.pk}/actions", {"action": "message"})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert not Message.objects.filter(trade=trade).exists()


def test_a_body_of_the_right_shape_reaches_the_engine(db):
    trade = make_trade("shipped")
    response = Api(trade.buyer).post(
        f"/trades/{trade.pk}/actions", {"action": "message", "text": "届きました"}
    )
    assert response.status_code == 200
    assert Message.objects.filter(trade=trade).count() == 1


def test_the_timeline_script_shape_is_documented(openapi):
    body = openapi["paths"]["/api/v1/timeline"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert {"policy", "events"} <= set(schema["required"])
    events = schema["properties"]["events"]
    first = events["prefixItems"][0]["properties"]
    assert first["actor"]["const"] == "buyer" and first["action"]["const"] == "purchase"
    later = events["items"]["properties"]
    assert later["at"]["format"] == "date-time"
    assert "request_operator" in later["action"]["enum"]
    assert "carrier" in later["actor"]["enum"]


def test_every_error_status_an_operation_answers_is_documented(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "404", "413", "422"} <= documented, (method, path)


def test_a_cancellation_request_documents_its_reason_as_required(openapi):
    body = openapi["paths"]["/api/v1/trades/{trade_id}/actions"]["post"]["requestBody"]
    mapping = body["content"]["application/json"]["schema"]["discriminator"]["mapping"]
    request_cancel = _resolve(openapi, {"$ref": mapping["request_cancel"]})
    assert set(request_cancel["required"]) == {"action", "reason"}


def test_resolving_a_problem_documents_its_refund_in_whole_yen(openapi):
    body = openapi["paths"]["/api/v1/trades/{trade_id}/actions"]["post"]["requestBody"]
    mapping = body["content"]["application/json"]["schema"]["discriminator"]["mapping"]
    resolve = _resolve(openapi, {"$ref": mapping["resolve_problem"]})
    assert resolve["properties"]["refund"]["type"] == "integer"
    assert resolve["properties"]["refund"]["minimum"] == 0
    assert "refund" not in resolve.get("required", [])

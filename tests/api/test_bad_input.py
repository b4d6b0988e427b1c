"""Bad input gets a clear 4xx with the contract's error shape — never a 500 (PostgreSQL is
stricter than SQLite here: these tests run on both), never a partial write."""

import json

import pytest
from django.test import Client

from furima.market.models import Listing
from furima.trades.models import IdempotencyKey, Message
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import make_listing, make_trade, make_user
from tests.trades.test_refusals import writes_nothing

pytestmark = pytest.mark.usefixtures("clock")


def test_a_nul_character_in_a_listing_title_is_400(db):
    with writes_nothing():
        response = Api(make_user()).post("/listings", {"title": "本\u0000", "price": 1000})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert "title" in response.json()["detail"]
    assert not Listing.objects.exists()


def test_a_nul_character_in_a_message_is_400(db):
    trade = make_trade("shipped")
    with writes_nothing(trade):
        response = Api(trade.buyer).post(
            f"/trades/{trade.pk}/actions", {"action": "message", "text": "a\u0000b"}
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_a_nul_character_in_a_json_key_is_400(db):
    response = Api().post("/timeline", {"policy": "furima", "events": [{"a\u0000": 1}]})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/listings", "/items/", "/"])
def test_a_nul_character_in_a_query_parameter_is_400(db, path):
    response = Client().get(path, {"q": "本\x00"})
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["error"] == "invalid_input"


def test_a_nul_character_in_a_web_form_is_refused(db):
    trade = make_trade("shipped")
    response = signed_in(trade.buyer).post(
        f"/trades/{trade.pk}/act/", {"action": "message", "text": "a\x00b"}
    )
    assert response.status_code == 400
    assert not Message.objects.filter(trade=trade).exists()


def test_a_search_of_hundreds_of_words_answers_with_its_first_words(db):
    make_listing(title="ワイヤレスイヤホン 白")
    words = " ".join(["イヤホン"] + [f"w{n}" for n in range(500)])
    response = Api().get("/listings", q=words[:100])
    assert response.status_code == 200
    response = Api().get("/listings", q=words)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_the_web_search_of_hundreds_of_words_is_not_an_error(db):
    words = " ".join(f"w{n}" for n in range(500))
    assert Client().get("/items/", {"q": words}).status_code == 200


def test_an_idempotency_key_longer_than_200_characters_is_refused(db):
    trade = make_trade("shipped")
    with writes_nothing(trade):
        response = Api(trade.buyer).post(
            f"/trades/{trade.pk}/actions",
            {"action": "message", "text": "hi"},
            **{"Idempotency-Key": "k" * 201},
        )
    assert response.status_code in (400, 422)
    assert response.json()["error"] in ("invalid_input", "validation_error")


def test_the_service_refuses_an_over_long_key_itself(db):
    from furima.errors import FurimaError
    from furima.trades.services import trade_act

    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(FurimaError) as raised:
        trade_act(
            trade_id=trade.pk, user=trade.buyer, action="message", text="hi",
            idempotency_key="k" * 201,
        )  # fmt: skip
    assert raised.value.code == "invalid_input"
    assert not IdempotencyKey.objects.exists()


def test_a_key_of_exactly_200_characters_works(db):
    trade = make_trade("shipped")
    response = Api(trade.buyer).post(
        f"/trades/{trade.pk}/actions",
        {"action": "message", "text": "hi"},
        **{"Idempotency-Key": "k" * 200},
    )
    assert response.status_code == 200


def test_a_stranger_acting_on_a_trade_gets_404_like_a_stranger_reading_it(db):
    trade = make_trade("shipped")
    stranger = Api(make_user())
    read = stranger.get(f"/trades/{trade.pk}")
    with writes_nothing(trade):
        acted = stranger.post(f"/trades/{trade.pk}/actions", {"action": "message", "text": "hi"})
        acted_as = stranger.post(
            f"/trades/{trade.pk}/actions", {"action": "ship", "actor": "seller"}
        )
    missing = stranger.post("/trades/999999/actions", {"action": "message", "text": "hi"})
    assert read.status_code == acted.status_code == acted_as.status_code == 404
    assert acted.json() == missing.json() | {"detail": acted.json()["detail"]}
    assert acted.json()["error"] == "not_found"


def test_a_json_body_that_is_an_array_is_a_validation_error(db):
    trade = make_trade("shipped")
    response = Api(trade.buyer).client.post(
        f"/api/v1/trades/{trade.pk}/actions",
        json.dumps([1, 2]),
        content_type="application/json",
        headers=Api(trade.buyer).headers,
    )
    assert 400 <= response.status_code < 500

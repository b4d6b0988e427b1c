"""Bad input — an unknown trade, the wrong user, an action the trade does not allow — raises
a typed error carrying the contract's code, and writes nothing at all."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict

from furima.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting
from furima.shipping.models import AddressAccess, TradeAddress
from furima.trades.errors import ActionRejected, Conflict, ForbiddenActor, NotFound
from furima.trades.models import IdempotencyKey, Message, Rating, Trade, TradeEvent
from furima.trades.services import trade_act, trade_act_as_platform
from tests.factories import make_staff, make_trade, make_user

WRITTEN = (
    TradeEvent,
    Message,
    Rating,
    IdempotencyKey,
    LedgerAccount,
    LedgerPosting,
    LedgerEntry,
    Trade,
    TradeAddress,
    AddressAccess,
)


@contextmanager
def writes_nothing(trade: Trade | None = None):
    """Fails unless the block leaves the trade row and every table the services write
    exactly as they were."""
    counts = {model.__name__: model.objects.count() for model in WRITTEN}
    if trade is not None:
        trade.refresh_from_db()
    row = model_to_dict(trade) if trade else None
    yield
    assert {model.__name__: model.objects.count() for model in WRITTEN} == counts
    if trade is not None:
        trade.refresh_from_db()
        assert model_to_dict(trade) == row


def test_an_unknown_trade_is_not_found(db, clock):
    with writes_nothing(), pytest.raises(NotFound) as raised:
        trade_act(trade_id=424242, user=make_user(), action="message", text="hello")
    assert raised.value.code == "not_found"


def test_an_anonymous_visitor_must_sign_in(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(Exception) as raised:
        trade_act(trade_id=trade.pk, user=AnonymousUser(), action="rate", rating="good")
    assert raised.value.code == "unauthenticated"


def test_the_seller_cannot_act_as_the_buyer(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ForbiddenActor) as raised:
        trade_act(trade_id=trade.pk, user=trade.seller, actor="buyer", action="rate", rating="good")
    assert raised.value.code == "forbidden_actor"


def test_a_stranger_acting_on_someone_elses_trade_learns_nothing_of_it(db, clock):
    """Not found, as for reading it: a 403 would confirm the trade exists."""
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(NotFound):
        trade_act(trade_id=trade.pk, user=make_user(), action="message", text="hi")


def test_only_staff_act_as_the_operator(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ForbiddenActor):
        trade_act(trade_id=trade.pk, user=trade.seller, actor="operator", action="proxy_rate")


def test_staff_cannot_act_as_the_operator_on_their_own_trade(db, clock):
    staff = make_staff()
    trade = make_trade("shipped", seller=staff)
    with writes_nothing(trade), pytest.raises(ForbiddenActor):
        trade_act(trade_id=trade.pk, user=staff, actor="operator", action="cancel")


@pytest.mark.parametrize("actor", ["system", "carrier"])
def test_no_user_acts_as_the_platform(db, clock, actor):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ForbiddenActor):
        trade_act(trade_id=trade.pk, user=make_staff(), actor=actor, action="deliver")


def test_the_platform_does_not_act_as_a_party(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ForbiddenActor):
        trade_act_as_platform(trade_id=trade.pk, actor="buyer", action="cancel")


def test_an_action_the_state_does_not_allow_is_refused_with_the_engines_code(db, clock):
    trade = make_trade("awaiting_shipment")
    with writes_nothing(trade), pytest.raises(ActionRejected) as raised:
        trade_act(trade_id=trade.pk, user=trade.buyer, action="rate", rating="good")
    assert raised.value.code == "not_allowed_in_state"


def test_a_rating_the_policy_does_not_know_is_invalid(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ActionRejected) as raised:
        trade_act(trade_id=trade.pk, user=trade.buyer, action="rate", rating="excellent")
    assert raised.value.code == "invalid_rating"


def test_an_empty_message_is_invalid_input(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ActionRejected) as raised:
        trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text="   ")
    assert raised.value.code == "invalid_input"


def test_an_unknown_action_is_invalid_input(db, clock):
    trade = make_trade("shipped")
    with writes_nothing(trade), pytest.raises(ActionRejected) as raised:
        trade_act(trade_id=trade.pk, user=trade.buyer, action="refund_me")
    assert raised.value.code == "invalid_input"


def test_reusing_an_idempotency_key_for_another_request_is_a_conflict(db, clock):
    trade = make_trade("shipped")
    trade_act(trade_id=trade.pk, user=trade.buyer, action="message", text="a", idempotency_key="k")

    with writes_nothing(trade), pytest.raises(Conflict) as raised:
        trade_act(
            trade_id=trade.pk, user=trade.buyer, action="message", text="b", idempotency_key="k"
        )
    assert raised.value.code == "conflict"


def test_a_refused_action_does_not_use_up_its_idempotency_key(db, clock):
    trade = make_trade("shipped")
    with pytest.raises(ActionRejected):
        trade_act(
            trade_id=trade.pk, user=trade.buyer, action="message", text="", idempotency_key="k"
        )

    result = trade_act(
        trade_id=trade.pk, user=trade.buyer, action="message", text="ok", idempotency_key="k"
    )

    assert result.replayed is False
    assert Message.objects.get(trade=trade).text == "ok"

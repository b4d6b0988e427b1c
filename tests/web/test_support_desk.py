"""The support desk: staff only; the queue shows trades waiting on the operator, oldest
first; the simulation page compares two policies."""

from datetime import timedelta

import pytest

from furima.trades.services import trade_act
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")


def test_only_staff_reach_the_desk(db):
    assert signed_in(make_user()).get("/support/").status_code == 302
    assert signed_in(make_staff()).get("/support/").status_code == 200


def test_the_queue_lists_requests_and_problem_reports_oldest_first(db, clock):
    asked = make_trade("shipped")
    reported = make_trade("shipped")
    make_trade("shipped")  # nobody waiting on the operator
    trade_act(trade_id=reported.pk, user=reported.buyer, action="report_problem", text="破損")
    clock.advance(timedelta(days=6))
    trade_act(trade_id=asked.pk, user=asked.seller, action="request_operator")
    response = signed_in(make_staff()).get("/support/")
    queue = list(response.context["queue"])
    assert [t.pk for t in queue] == [reported.pk, asked.pk]


def test_the_simulation_compares_two_policies(db):
    response = signed_in(make_staff()).get(
        "/support/simulate/",
        {"policy_a": "rakuma-2016@1", "policy_b": "furima@1", "trades": 200, "seed": 7},
    )
    assert response.status_code == 200
    table = response.context["result"]["table"]
    assert "rakuma-2016@1" in table and "furima@1" in table
    assert response.context["result"]["chart"].startswith("data:image/png;base64,")


def test_the_simulation_refuses_too_many_trades(db):
    response = signed_in(make_staff()).get(
        "/support/simulate/",
        {"policy_a": "furima@1", "policy_b": "furima@1", "trades": 10**7, "seed": 1},
    )
    assert response.status_code == 400
    assert "trades" in response.context["form"].errors

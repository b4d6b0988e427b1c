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
    result = response.context["result"]
    assert result["policies"] == ["rakuma-2016@1", "furima@1"]
    assert all(len(values) == 2 for _, values in result["rows"])
    assert result["chart"].startswith("data:image/png;base64,")
    html = response.content.decode()
    assert "style=" not in html  # the site's CSP refuses inline styles
    assert "中央値" in html  # the table speaks the page's language
    assert ".toml" not in html and "/work/" not in html  # no server path


def test_the_simulation_form_compares_two_different_policies_by_default(db):
    form = signed_in(make_staff()).get("/support/simulate/").context["form"]
    assert form["policy_a"].value() != form["policy_b"].value()


def test_the_simulation_refuses_too_many_trades(db):
    response = signed_in(make_staff()).get(
        "/support/simulate/",
        {"policy_a": "furima@1", "policy_b": "furima@1", "trades": 10**7, "seed": 1},
    )
    assert response.status_code == 400
    assert "trades" in response.context["form"].errors

"""The trade screen tells the story (issue 13): one countdown rule, a confirmation before
final steps that works as plain form posts, a blank problem report refused, readable
timeline lines, and a plain-language page for each policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from furima.formats import remaining, when
from furima.process import Action, Actor, decide
from furima.process.commands import Command
from furima.trades.models import Trade
from furima.trades.services import policy_of
from furima.trades.snapshots import snapshot_of
from tests.clients import signed_in
from tests.factories import make_trade

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize(
    ("left", "reads"),
    [
        (timedelta(days=3), "あと3日"),
        (timedelta(days=3) - timedelta(milliseconds=1), "あと3日"),
        (timedelta(days=2, hours=13), "あと3日"),
        (timedelta(days=2, hours=11), "あと2日"),
        (timedelta(hours=4, minutes=1), "あと5時間"),
        (timedelta(minutes=30), "あと30分"),
        (timedelta(0), ""),
        (-timedelta(hours=1), ""),
    ],
)
def test_one_countdown_rule(clock, left, reads):
    with translation.override("ja"):
        assert remaining(clock.now() + left) == reads


@pytest.mark.parametrize(
    ("moment", "ja", "en"),
    [
        # 15:00 UTC on New Year's Eve is already New Year's Day in Tokyo.
        (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), "1月1日 00:00", "January 1 00:00"),
        (datetime(2026, 12, 31, 14, 59, tzinfo=UTC), "12月31日 23:59", "December 31 23:59"),
        (datetime(2027, 2, 28, 4, 0, tzinfo=UTC), "2月28日 13:00", "February 28 13:00"),
    ],
)
def test_a_moment_reads_as_tokyo_time_in_each_language_every_time(moment, ja, en):
    for _ in range(2):  # the day's words are remembered per language: asked twice, both hold
        with translation.override("ja"):
            assert when(moment) == ja
        with translation.override("en"):
            assert when(moment) == en


def test_a_blank_problem_report_is_refused_by_the_engine(db):
    trade = make_trade("shipped")
    snapshot, policy = snapshot_of(trade), policy_of(trade)
    blank = Command(actor=Actor.BUYER, action=Action.REPORT_PROBLEM, text="  ")
    decision = decide(snapshot, blank, trade.shipped_at, policy)
    assert not decision.accepted and decision.code == "invalid_input"


def test_cancelling_asks_first_and_the_second_post_cancels(db):
    trade = make_trade("awaiting_shipment", price=3300)
    seller = signed_in(trade.seller)
    asked = seller.post(f"/trades/{trade.pk}/act/", {"action": "cancel", "reason": "在庫切れ"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'data-testid="confirm"' in html and 'name="confirmed" value="1"' in html
    assert Trade.objects.get(pk=trade.pk).state == "awaiting_shipment"
    done = seller.post(
        f"/trades/{trade.pk}/act/", {"action": "cancel", "reason": "在庫切れ", "confirmed": "1"}
    )
    assert done.status_code == 302
    assert Trade.objects.get(pk=trade.pk).state == "cancelled"
    page = seller.get(f"/trades/{trade.pk}/").content.decode()
    assert "在庫切れ" in page and "3,300円" in page


def test_a_step_the_engine_would_refuse_is_refused_without_asking(db):
    trade = make_trade("shipped")
    response = signed_in(trade.buyer).post(f"/trades/{trade.pk}/act/", {"action": "rate"})
    assert response.status_code == 400
    assert 'data-testid="confirm"' not in response.content.decode()


def test_the_timeline_names_each_subject_once(db):
    trade = make_trade("shipped")
    html = signed_in(trade.buyer).get(f"/trades/{trade.pk}/").content.decode()
    assert "あなたが購入しました" in html
    assert f"{trade.seller}さんが発送しました" in html


def test_each_policy_has_a_plain_language_page(client, db):
    for policy_id, phrase in (
        ("furima", "5%"),
        ("rakuma-2016", "14日後"),
        ("mercari-2016", "8日後"),
    ):
        response = client.get(f"/policies/{policy_id}/", HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200 and phrase in response.content.decode()
    assert client.get("/policies/nope/").status_code == 404

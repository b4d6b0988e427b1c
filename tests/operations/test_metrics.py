"""`GET /metrics`: Prometheus text for requests (django-prometheus) and for what the
database knows (timers, workers, outbox), served to allowed addresses only."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.core.management import call_command
from prometheus_client.parser import text_string_to_metric_families

from furima.trades.models import Trade
from furima.trades.selectors import trade_deadlines
from tests.factories import make_trade


def samples(response) -> dict[str, float]:
    text = response.content.decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if not sample.labels
    }


def test_metrics_count_timers_applied_failed_due_and_their_lag(db, client, clock):
    trades = [make_trade("awaiting_shipment") for _ in range(3)]
    Trade.objects.filter(pk=trades[0].pk).update(policy_version=999)  # its step will raise
    clock.set(trade_deadlines(trade=trades[-1]).auto_cancel_at)
    call_command("worker", "--once")
    late = make_trade("awaiting_shipment")
    clock.set(trade_deadlines(trade=late).auto_cancel_at + timedelta(seconds=90))

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = samples(response)
    assert found["furima_timers_applied_total"] == 2
    assert found["furima_timers_failed_total"] == 1
    assert found["furima_timers_backing_off"] == 1
    assert found["furima_timers_due"] == 2  # the late one, and the backed-off one's retry
    assert found["furima_timers_lag_seconds"] >= 90
    assert found["furima_workers_running"] == 0
    assert {"furima_outbox_pending", "furima_outbox_failed"} <= found.keys()
    assert found["furima_inquiries_overdue"] == 0


def test_metrics_count_requests(db, client):
    client.get("/health/")

    text = client.get("/metrics").content.decode()

    assert "django_http_requests_total_by_method_total" in text
    assert 'django_http_responses_total_by_status_total{status="200"}' in text


def test_metrics_are_refused_to_an_address_outside_the_allow_list(db, client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_the_allow_list_takes_networks_from_the_setting(db, client, settings):
    settings.FURIMA_METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("203.0.113.0/24")]

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403

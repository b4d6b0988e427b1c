"""`GET /metrics`: Prometheus text.

Two sources, one page:
- django-prometheus's middleware counts requests, latencies and responses in each web
  process (under `furima serve` with several processes, prometheus_client's multiprocess
  mode adds them up across processes: PROMETHEUS_MULTIPROC_DIR);
- `furima_*` metrics are read from the database at scrape time, so every web process
  answers the same: the worker heartbeats' counters, the timer backlog, the outbox.

A new metric is one small function returning metric families, added to `FURIMA_METRICS`
(`inquiry_metrics` is one).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable

import prometheus_client
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from furima import clock
from furima.client_address import client_address
from furima.notify.selectors import notifications_backlog
from furima.support.selectors import inquiries_overdue_count
from furima.trades.selectors import timer_backlog, workers_seen

MetricSource = Callable[[], Iterable[Metric]]


def timer_metrics() -> Iterable[Metric]:
    workers = workers_seen()
    applied = CounterMetricFamily(
        "furima_timers_applied", "Due timers applied by the workers (summed over heartbeats)"
    )
    applied.add_metric([], sum(w.timers_applied for w in workers))
    yield applied
    failed = CounterMetricFamily(
        "furima_timers_failed", "Due timers whose step raised and was backed off"
    )
    failed.add_metric([], sum(w.timers_failed for w in workers))
    yield failed
    backlog = timer_backlog()
    lag = (clock.now() - backlog.oldest_due_at).total_seconds() if backlog.oldest_due_at else 0
    yield GaugeMetricFamily("furima_timers_due", "Timers due now, not yet applied", backlog.due)
    yield GaugeMetricFamily(
        "furima_timers_lag_seconds", "How long the oldest due timer has been waiting", lag
    )
    yield GaugeMetricFamily(
        "furima_timers_backing_off", "Trades whose timer failed and waits to retry", backlog.failing
    )
    yield GaugeMetricFamily(
        "furima_workers_running",
        "Workers heard from within the last minute",
        sum(w.fresh for w in workers),
    )


def outbox_metrics() -> Iterable[Metric]:
    backlog = notifications_backlog()
    yield GaugeMetricFamily(
        "furima_outbox_pending", "Notifications waiting to be sent", backlog["pending"]
    )
    yield GaugeMetricFamily(
        "furima_outbox_failed", "Notifications given up on after retries", backlog["failed"]
    )


def inquiry_metrics() -> Iterable[Metric]:
    yield GaugeMetricFamily(
        "furima_inquiries_overdue",
        "Inquiries waiting for staff past their SLA due time",
        inquiries_overdue_count(now=clock.now()),
    )


FURIMA_METRICS: list[MetricSource] = [timer_metrics, outbox_metrics, inquiry_metrics]


class FurimaCollector:
    """prometheus_client collector over `FURIMA_METRICS`, read at scrape time."""

    def collect(self) -> Iterable[Metric]:
        for source in FURIMA_METRICS:
            yield from source()


def _process_registry():
    """The request metrics of this web process, or of all of them in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def allowed(address: str) -> bool:
    """Whether `address` is in FURIMA_METRICS_ALLOWED_IPS (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.FURIMA_METRICS_ALLOWED_NETWORKS)


def metrics_view(request):
    if not allowed(client_address(request)):
        return JsonResponse(
            {"error": "forbidden", "detail": "metrics are served to allowed addresses only"},
            status=403,
        )
    furima = CollectorRegistry(auto_describe=False)
    furima.register(FurimaCollector())
    page = prometheus_client.generate_latest(_process_registry())
    page += prometheus_client.generate_latest(furima)
    return HttpResponse(page, content_type=prometheus_client.CONTENT_TYPE_LATEST)

"""`GET /health/` (CONTRACT.md "Additions"): 200 when the database is reachable and the
migrations are applied, 503 saying what failed otherwise; the worker, timers and outbox are
reported alongside, as information."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder

from furima.notify.models import Notification
from furima.trades.selectors import trade_deadlines
from tests.factories import make_trade


def outbox_rows(trade, *, pending: int, failed: int) -> None:
    event = trade.events.first()
    for n, status in enumerate(["pending"] * pending + ["failed"] * failed):
        Notification.objects.create(
            recipient=trade.seller,
            trade=trade,
            event=event,
            dedupe_key=f"test:{n}",
            language="ja",
            subject="件名",
            body="本文",
            status=status,
            created_at=event.at,
            next_attempt_at=event.at if status == "pending" else None,
        )


def test_health_is_200_with_the_database_up_and_migrations_applied(db, client, clock):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok"}


def test_health_reports_the_worker_timers_and_outbox_without_failing_on_them(db, client, clock):
    trade = make_trade("awaiting_shipment")
    outbox_rows(trade, pending=2, failed=1)
    clock.set(trade_deadlines(trade=trade).auto_cancel_at + timedelta(minutes=5))

    body = client.get("/health/").json()

    assert body["status"] == "ok"  # no worker has ever run, yet the site is healthy
    assert body["worker"] == {"running": 0, "fresh": False, "last_seen_at": None}
    assert body["timers"] == {"due": 1, "lag_seconds": 300.0, "backing_off": 0}
    assert body["outbox"] == {"pending": 2, "failed": 1}


def test_health_sees_a_worker_while_it_beats(db, client, clock):
    call_command("worker", "--once")  # beats at start, and once more as it stops

    worker = client.get("/health/").json()["worker"]

    assert worker["running"] == 0  # stopped cleanly
    assert datetime.fromisoformat(worker["last_seen_at"]) == clock.now()


def test_health_is_503_naming_the_migration_that_is_not_applied(db, client, clock):
    MigrationRecorder.Migration.objects.filter(app="trades", name="0002_timer_failures").delete()

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert "trades.0002_timer_failures" in body["checks"]["migrations"]
    assert body["error"] == "unavailable"
    assert body["detail"].startswith("migrations: ")


def test_health_is_503_when_the_database_cannot_be_reached():
    """In a process of its own whose database is a port where nothing listens."""
    probe = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "furima.settings",
        "FURIMA_DATABASE_URL": "postgres://postgres@127.0.0.1:1/furima",
        "FURIMA_LOG_LEVEL": "CRITICAL",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, timeout=60
    )

    status, body = done.stdout.split(" ", 1)
    assert status == "503", done.stderr
    body = json.loads(body)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("Unavailable")
    assert body["detail"].startswith("database: Unavailable")

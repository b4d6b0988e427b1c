"""`GET /health/` (CONTRACT.md, "Additions"): 200 when the database is reachable and every
migration is applied, 503 otherwise, saying what failed. The worker's heartbeat, the timer
backlog and the outbox backlog are reported as information: they never make the web process
unhealthy (a load balancer must not take the site down because the worker is behind).

The checks are django-health-check's (`health_check.checks.Database`) plus our own
`MigrationsApplied`, a check of the same kind; the view only runs them and shapes the answer.
"""

from __future__ import annotations

import dataclasses
import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import HealthCheckException, ServiceUnavailable

from furima import clock
from furima.notify.selectors import notifications_backlog
from furima.trades.selectors import timer_backlog, workers_seen

log = logging.getLogger(__name__)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration the code knows is applied (a deploy that forgot `furima migrate`
    serves errors on the first query that touches a new column)."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        loader = MigrationLoader(connections[self.alias])
        unapplied = sorted(
            f"{app}.{name}"
            for app, name in loader.graph.nodes
            if (app, name) not in loader.applied_migrations
        )
        if unapplied:
            shown = ", ".join(unapplied[:5]) + (" …" if len(unapplied) > 5 else "")
            raise ServiceUnavailable(f"{len(unapplied)} migrations not applied: {shown}")


CHECKS: dict[str, HealthCheck] = {"database": Database(), "migrations": MigrationsApplied()}


def outcome(check: HealthCheck) -> str:
    """ "ok", or what failed. The checks are run in the request's thread, one after the
    other (both are synchronous): django-health-check's own view runs them on an event loop,
    which a WSGI process does not need and some callers (tests under Playwright) cannot
    start."""
    try:
        check.run()
    except HealthCheckException as error:
        return str(error)
    except Exception:
        log.exception("health check %r raised", check)
        return "Unavailable: unexpected error (logged)"
    return "ok"


@never_cache
def health_view(request):
    checks = {name: outcome(check) for name, check in CHECKS.items()}
    failed = {name: result for name, result in checks.items() if result != "ok"}
    body: dict = {"status": "unavailable" if failed else "ok", "checks": checks}
    if failed:
        body["error"] = "unavailable"
        body["detail"] = "; ".join(f"{name}: {result}" for name, result in failed.items())
    else:
        body.update(information())
    return JsonResponse(body, status=503 if failed else 200)


def information() -> dict:
    """What operators want to see next to the verdict; none of it changes the status."""
    now = clock.now()
    workers = workers_seen()
    running = [w for w in workers if w.fresh]
    timers = timer_backlog()
    return {
        "worker": {
            "running": len(running),
            "fresh": bool(running),
            "last_seen_at": workers[0].seen_at.isoformat() if workers else None,
        },
        "timers": {
            "due": timers.due,
            "lag_seconds": round((now - timers.oldest_due_at).total_seconds(), 3)
            if timers.oldest_due_at
            else 0.0,
            "backing_off": timers.failing,
        },
        "outbox": notifications_backlog(),
    }

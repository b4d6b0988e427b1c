"""`GET /health/` (CONTRACT.md, "Additions"): 200 when the database is reachable and every
migration is applied, 503 otherwise, saying what failed. The worker's heartbeat, the timer
backlog and the outbox backlog are reported as information: they never make the web process
unhealthy (a load balancer must not take the site down because the worker is behind).

The checks are django-health-check's (`health_check.checks.Database`) plus our own
`MigrationsApplied`; the view only shapes the answer.
"""

from __future__ import annotations

import asyncio
import dataclasses

from asgiref.sync import sync_to_async
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from furima import clock
from furima.notify.selectors import notifications_backlog
from furima.trades.selectors import timer_backlog, workers_seen


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration the code knows is applied (a deploy that forgot `furima migrate`
    serves errors on the first query that touches a new column)."""

    alias: str = DEFAULT_DB_ALIAS

    async def run(self) -> None:
        # In the request's thread: its connection, and no stray connection left open.
        unapplied = await sync_to_async(self._unapplied)()
        if unapplied:
            shown = ", ".join(unapplied[:5]) + (" …" if len(unapplied) > 5 else "")
            raise ServiceUnavailable(f"{len(unapplied)} migrations not applied: {shown}")

    def _unapplied(self) -> list[str]:
        loader = MigrationLoader(connections[self.alias])
        return sorted(
            f"{app}.{name}"
            for app, name in loader.graph.nodes
            if (app, name) not in loader.applied_migrations
        )


CHECKS = {"database": "health_check.checks.Database", "migrations": MigrationsApplied}


class HealthView(HealthCheckView):
    @property
    def checks(self):  # read at each request (tests replace one)
        return tuple(CHECKS.values())

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        checks = {
            name: str(result.error) if result.error else "ok"
            for name, result in zip(CHECKS, results, strict=True)
        }
        failed = {name: outcome for name, outcome in checks.items() if outcome != "ok"}
        body: dict = {"status": "unavailable" if failed else "ok", "checks": checks}
        if failed:
            body["error"] = "unavailable"
            body["detail"] = "; ".join(f"{name}: {outcome}" for name, outcome in failed.items())
        else:
            body.update(await sync_to_async(information)())
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

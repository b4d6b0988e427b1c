"""`furima serve`: the web app under gunicorn with the production configuration
(`furima.operations.gunicorn_conf`). The command replaces itself with gunicorn, so a service
manager's signals reach gunicorn directly (SIGTERM: finish requests in flight, then stop)."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the web app with gunicorn (production configuration; see README)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", help="address:port (default FURIMA_BIND or 127.0.0.1:8000)")
        parser.add_argument(
            "--workers", type=int, help="web processes (default FURIMA_WEB_PROCESSES or 2×CPUs+1)"
        )
        parser.add_argument(
            "--check-config",
            action="store_true",
            help="print the gunicorn command instead of running it",
        )

    def handle(self, *args, bind: str | None, workers: int | None, check_config: bool, **options):
        if settings.DEBUG:
            raise CommandError("furima serve is for production: unset FURIMA_DEBUG")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:furima.operations.gunicorn_conf",
        ]
        if bind:
            command += ["--bind", bind]
        if workers:
            command += ["--workers", str(workers)]
        command.append("furima.wsgi:application")
        if check_config:
            self.stdout.write(" ".join(command))
            return
        # Emptied by gunicorn_conf.on_starting: one `furima serve` per FURIMA_VAR_DIR.
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.VAR_DIR / "prometheus"))
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)

"""Run `furima worker` as a real process against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
FURIMA = Path(sys.executable).with_name("furima")
WORKER_APP_NAME = "furima-test-worker"


def worker_sessions() -> int:
    """PostgreSQL sessions still open for worker processes (0 on SQLite). A killed client's
    session lingers until the server notices; the test database cannot be dropped till then."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [WORKER_APP_NAME]
        )
        return cursor.fetchone()[0]


def test_database_url() -> str:
    """The URL of the database the tests are using (the test copy, not the real one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(*args: str, settings_module: str = "furima.settings", **env: str):
    environment = {
        **os.environ,
        "FURIMA_DATABASE_URL": test_database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "FURIMA_DEMO": "0",
        "PGAPPNAME": WORKER_APP_NAME,
        **env,
    }
    return subprocess.Popen(
        [str(FURIMA), "worker", *args],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

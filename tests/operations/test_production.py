"""README "Running in production", exercised: `furima serve` (gunicorn, 2 web processes) and a
`furima worker` on PostgreSQL with production settings, checked through the health endpoint,
the metrics and one trade over the API (purchase → ship).

PostgreSQL only (`postgresql_only`: left out of the SQLite run, never skipped; CI runs the
PostgreSQL suite and fails when PostgreSQL is missing)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.factories import ADDRESS, make_user
from tests.worker.processes import FURIMA, ROOT
from tests.worker.processes import test_database_url as database_url

pytestmark = [pytest.mark.postgresql_only, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_environment(tmp_path: Path, port: int) -> dict[str, str]:
    """What the README's production section sets (the TLS proxy is stood in for by the
    X-Forwarded-Proto header each request carries)."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}  # not a test run
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "furima.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "FURIMA_DATABASE_URL": database_url(),
        "FURIMA_DEBUG": "0",
        "FURIMA_DEMO": "0",
        "FURIMA_SECRET_KEY": "production-test-key-" + "x" * 40,
        "FURIMA_ALLOW_INSECURE_KEY": "0",
        "FURIMA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FURIMA_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "FURIMA_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "FURIMA_SSL_REDIRECT": "1",
        "FURIMA_SECURE_COOKIES": "1",
        "FURIMA_HSTS_SECONDS": "31536000",
        "FURIMA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "FURIMA_VAR_DIR": str(tmp_path),
        "FURIMA_LOG_FORMAT": "json",
    }


class Site:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method: str, path: str, body=None, token: str | None = None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "X-Forwarded-Proto": "https",
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, method: str, path: str, body=None, token: str | None = None):
        status, content = self.call(method, path, body, token)
        return status, json.loads(content)


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def api_token(username: str, environment: dict[str, str], cwd: Path) -> str:
    """A token made as the README says (`furima api_token create`), with the production
    secret key it is keyed with."""
    done = subprocess.run(
        [str(FURIMA), "api_token", "create", username],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=40)
    finally:
        process.kill()
    return output


def test_gunicorn_with_two_processes_and_a_worker_serve_health_metrics_and_a_trade(
    transactional_db, tmp_path
):
    port = free_port()
    environment = production_environment(tmp_path, port)
    web = subprocess.Popen(
        [str(FURIMA), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = subprocess.Popen(
        [str(FURIMA), "worker", "--idle-seconds", "0.5"],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    site = Site(port)
    try:
        health = wait_until(
            lambda: (lambda r: r if r[0] == 200 and r[1]["worker"]["running"] else None)(
                site.json("GET", "/health/")
            ),
            timeout=60,
            what="the site to be healthy with a worker running",
        )
        assert health[1]["checks"] == {"database": "ok", "migrations": "ok"}
        assert len(children(web.pid)) == 2  # gunicorn's two web processes

        seller, buyer = make_user(), make_user()
        seller_token, buyer_token = (
            api_token(user.username, environment, tmp_path) for user in (seller, buyer)
        )
        status, listing = site.json(
            "POST", "/api/v1/listings", {"title": "文庫本", "price": 1500}, seller_token
        )
        assert status == 201, listing
        status, address = site.json("POST", "/api/v1/addresses", ADDRESS, buyer_token)
        assert status == 201, address
        status, trade = site.json(
            "POST",
            f"/api/v1/listings/{listing['id']}/purchase",
            {"expected_price": 1500, "address_id": address["id"]},
            buyer_token,
        )
        assert status == 201, trade
        status, shipped = site.json(
            "POST",
            f"/api/v1/trades/{trade['id']}/actions",
            {"action": "ship", "tracking_number": "1234-5678"},
            seller_token,
        )
        assert status == 200, shipped
        assert shipped["state"] == "shipped"

        status, metrics = site.call("GET", "/metrics")
        assert status == 200
        text = metrics.decode()
        assert "furima_workers_running 1.0" in text
        assert 'django_http_responses_total_by_status_total{status="201"} 3.0' in text
    finally:
        web_output = stop(web)
        worker_output = stop(worker)
    assert web.returncode == 0, web_output
    assert worker.returncode == 0, worker_output
    first_line = worker_output.splitlines()[0]
    assert json.loads(first_line)["message"].startswith("worker started")  # JSON logs

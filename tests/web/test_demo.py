"""`make demo` on a fresh machine: tools/demo.sh migrates a new SQLite database, seeds it,
prints the logins and serves the site with DEBUG off — friendly error pages for visitors,
static files still served (WhiteNoise)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_the_demo_starts_on_a_fresh_database_with_debug_off(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FURIMA_")},
        "FURIMA_VAR_DIR": str(tmp_path),
        "FURIMA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PORT": str(port),
    }
    env.pop("PYTEST_VERSION", None)
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen(
            ["bash", "tools/demo.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while "starting the worker and the web server" not in log.read_text():
            assert demo.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        output = log.read_text()
        assert "hanako" in output and "support" in output, output  # the logins
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, home = fetch(f"{base}/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the demo server never answered"
                time.sleep(0.5)
        assert status == 200 and "furima" in home

        status, page = fetch(f"{base}/no-such-page/")
        assert status == 404
        assert 'data-testid="error-page"' in page
        assert "URLconf" not in page and "Traceback" not in page

        photo = re.search(r'<img src="(/media/listings/[^"]+)"', home)  # the seed's items
        assert photo, home
        with urlopen(f"{base}{photo[1]}", timeout=10) as response:
            assert response.headers["Content-Type"] == "image/jpeg"
            assert "immutable" in response.headers["Cache-Control"]

        status, css = fetch(f"{base}/static/furima/app.css")
        assert status == 200 and ".page" in css
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)

"""Browser tests: Playwright for Python driving the Debian `chromium` binary, headless,
against Django's live server.

Playwright's own browser download is never used (there is no network for it): the launch
arguments point at the system chromium. Without one the tests are skipped with a plain
reason — except under CI=true, where they fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The live server runs in a thread of this process while Playwright's sync API runs an
# event loop in the test thread; Django refuses ORM calls from such a thread unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = _chromium()
    if executable is None:
        message = "no chromium binary (apt-get install chromium); browser tests not run"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
        "viewport": {"width": 1100, "height": 900},
    }


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot as var/screenshots/NAME.png (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take

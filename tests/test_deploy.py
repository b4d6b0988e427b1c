"""Production settings: the app refuses to start without a secret key, `furima check
--deploy` passes with the documented production environment, and behind a TLS proxy that
sets X-Forwarded-Proto a login works over (what Django sees as) HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import make_user

FURIMA = Path(sys.executable).with_name("furima")
PRODUCTION = {
    "FURIMA_SECRET_KEY": "k8Jz2-production-secret-Qw7mN4pX9rT1vY6bH3cF5gL0sD8aE2uI",
    "FURIMA_ALLOWED_HOSTS": "furima.example",
    "FURIMA_CSRF_TRUSTED_ORIGINS": "https://furima.example",
    "FURIMA_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "FURIMA_HSTS_SECONDS": "31536000",
    "FURIMA_HSTS_PRELOAD": "1",
}
TEST_RUN_VARIABLES = ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
SECURITY_SETTINGS = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "CSRF_TRUSTED_ORIGINS",
    "ALLOWED_HOSTS",
)


def outside_pytest(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment of a process started by an operator: none of the development
    switches, not even those a test run sets (PYTEST_VERSION; the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE), plus `env`."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FURIMA_") and k not in TEST_RUN_VARIABLES
    }
    return {
        **base,
        "FURIMA_VAR_DIR": str(tmp_path),
        "FURIMA_DATABASE_URL": f"sqlite:///{tmp_path / 'furima.sqlite3'}",
        **env,
    }


def furima(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FURIMA), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def python_outside_pytest(tmp_path: Path, program: str, **env: str) -> str:
    """What `program` prints, run by Python with furima's settings in an operator's
    environment (`outside_pytest`) plus `env`."""
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={**outside_pytest(tmp_path, **env), "DJANGO_SETTINGS_MODULE": "furima.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def production_settings(tmp_path: Path) -> dict:
    """The security settings a production process reads from PRODUCTION."""
    program = (
        "import json, django.conf as c;"
        f"print(json.dumps({{k: getattr(c.settings, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    found = json.loads(python_outside_pytest(tmp_path, program, **PRODUCTION))
    found["SECURE_PROXY_SSL_HEADER"] = tuple(found["SECURE_PROXY_SSL_HEADER"])
    return found


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = furima("check", env=outside_pytest(tmp_path))

    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "FURIMA_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FURIMA_PROXY_COUNT", "-1"),
        ("FURIMA_PROXY_COUNT", "two"),
        ("FURIMA_PROXY_COUNT", "1.5"),
        ("FURIMA_CONN_MAX_AGE", "forever"),
        ("FURIMA_LOGIN_FAILURE_LIMIT", "0"),
        ("FURIMA_PAYOUT_FEE", "200円"),
    ],
)
def test_a_number_setting_that_is_no_whole_number_stops_the_start_with_one_line(
    tmp_path, name, value
):
    done = furima("check", env=outside_pytest(tmp_path, FURIMA_DEBUG="1", **{name: value}))

    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert name in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("switch", ["FURIMA_DEBUG", "FURIMA_DEMO"])
def test_development_and_the_demo_start_without_a_secret_key(tmp_path, switch):
    done = furima("check", env=outside_pytest(tmp_path, **{switch: "1"}))

    assert done.returncode == 0, done.stderr


def test_the_deploy_check_passes_with_the_production_environment(tmp_path):
    done = furima(
        "check", "--deploy", "--fail-level", "WARNING", env=outside_pytest(tmp_path, **PRODUCTION)
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def database_options(tmp_path: Path, **env: str) -> dict:
    program = "import json, django.conf as c; print(json.dumps(c.settings.DATABASES['default']))"
    return json.loads(python_outside_pytest(tmp_path, program, **env)).get("OPTIONS", {})


def test_postgresql_plans_repeated_statements_once_unless_switched_off(tmp_path):
    postgres = {**PRODUCTION, "FURIMA_DATABASE_URL": "postgres://furima@db.internal/furima"}

    on = database_options(tmp_path, **postgres)
    off = database_options(tmp_path, **postgres, FURIMA_PREPARED_STATEMENTS="0")
    sqlite = database_options(tmp_path, **PRODUCTION)

    assert on == {"server_side_binding": True, "prepare_threshold": 5}
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert "server_side_binding" not in sqlite


def test_the_wsgi_application_starts_with_its_long_lived_objects_out_of_the_collectors_reach(
    tmp_path,
):
    program = (
        "import gc, sys; before = gc.get_freeze_count(); import furima.wsgi;"
        "print(before, gc.get_freeze_count(), 'furima.trades.views' in sys.modules)"
    )
    before, frozen, views_loaded = python_outside_pytest(tmp_path, program, **PRODUCTION).split()

    assert int(before) == 0
    assert int(frozen) > 50_000  # Django, furima and every view: not walked by a collection
    assert views_loaded == "True"  # loaded before the first request (and before a fork)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return production_settings(tmp_path_factory.mktemp("production"))


def test_production_is_https_only_by_default(production):
    found = production

    assert found["DEBUG"] is False
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert found["SECURE_HSTS_SECONDS"] == 31536000
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://furima.example"]


@pytest.fixture
def behind_a_tls_proxy(settings, production):
    for name, value in production.items():
        setattr(settings, name, value)


@pytest.mark.usefixtures("behind_a_tls_proxy")
def test_plain_http_is_redirected_to_https(db):
    response = Client().get("/accounts/login/", HTTP_HOST="furima.example")

    assert response.status_code == 301
    assert response["Location"] == "https://furima.example/accounts/login/"


@pytest.mark.usefixtures("behind_a_tls_proxy")
def test_a_login_through_the_tls_proxy_works(db):
    user = make_user("proxied")
    user.set_password("a-long-passphrase-2026")
    user.save()
    browser = Client(
        enforce_csrf_checks=True, HTTP_HOST="furima.example", HTTP_X_FORWARDED_PROTO="https"
    )
    page = browser.get("/accounts/login/")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert browser.cookies["csrftoken"]["secure"]

    response = browser.post(
        "/accounts/login/",
        {
            "username": "proxied",
            "password": "a-long-passphrase-2026",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
        HTTP_ORIGIN="https://furima.example",
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert browser.cookies["sessionid"]["secure"]
    assert browser.get("/mypage/").status_code == 200

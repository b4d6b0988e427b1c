"""Behind proxies (FURIMA_PROXY_COUNT), furima sees each client's own address: login
lockouts are per client, not one lockout for everyone behind the proxy, and /metrics does
not answer the world through a proxy on 127.0.0.1. What a client writes into
X-Forwarded-For itself is never believed.

These requests go through the WSGI application `furima/wsgi.py` builds (werkzeug's
ProxyFix in front of Django's handler), as gunicorn calls it, with the socket's address of a
proxy on 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from werkzeug.test import Client as WsgiClient

from furima.wsgi import build_application
from tests.factories import make_user

PROXY = "127.0.0.1"
PASSWORD = "right-passphrase-2026"


@pytest.fixture
def wsgi(db):
    """A client of the real WSGI application. Django's own test client does the same for
    its requests: a request's start and end must not close the test's database transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield lambda proxies: WsgiClient(build_application(proxies))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def via_proxy(forwarded_for: str | None, remote: str = PROXY) -> dict:
    environ = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return {"environ_overrides": environ}


def log_in(client: WsgiClient, username: str, password: str, forwarded_for: str) -> int:
    page = client.get("/accounts/login/", **via_proxy(forwarded_for)).get_data(as_text=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        **via_proxy(forwarded_for),
    )
    return response.status_code


@pytest.mark.parametrize(
    ("forwarded_for", "status"),
    [
        ("203.0.113.9", 403),  # a client on the Internet, through the proxy
        ("127.0.0.1", 200),  # the scraper beside the proxy, through it
        ("127.0.0.1, 203.0.113.9", 403),  # the client wrote "127.0.0.1" itself: not believed
        (None, 200),  # no forwarded-for at all: the proxy's own request, from 127.0.0.1
    ],
)
def test_metrics_behind_one_proxy_go_to_allowed_clients_only(wsgi, forwarded_for, status):
    assert wsgi(1).get("/metrics", **via_proxy(forwarded_for)).status_code == status


def test_without_a_proxy_count_the_forwarded_header_is_ignored(wsgi):
    client = wsgi(0)
    outsider = via_proxy("127.0.0.1", remote="203.0.113.9")
    assert client.get("/metrics", **outsider).status_code == 403


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(wsgi):
    client = wsgi(2)
    # client → CDN (appends the client) → proxy (appends the CDN) → furima
    assert client.get("/metrics", **via_proxy("203.0.113.9, 10.0.0.2")).status_code == 403
    assert client.get("/metrics", **via_proxy("127.0.0.1, 10.0.0.2")).status_code == 200


def test_a_lockout_behind_the_proxy_locks_out_that_client_only(wsgi, settings):
    user = make_user("kenji")
    user.set_password(PASSWORD)
    user.save()
    attacker, owner = "198.51.100.66", "203.0.113.20"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(wsgi(1), "kenji", "wrong", attacker)

    assert log_in(wsgi(1), "kenji", PASSWORD, attacker) == 429  # locked out
    # Writing someone else's address in front does not get the attacker out of it.
    assert log_in(wsgi(1), "kenji", PASSWORD, f"{owner}, {attacker}") == 429
    # The owner, behind the same proxy, still logs in.
    assert log_in(wsgi(1), "kenji", PASSWORD, owner) == 302

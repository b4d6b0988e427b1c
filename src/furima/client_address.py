"""Whose request is this? The one place furima reads the client's network address.

It is the socket's address as the WSGI server left it: behind `FURIMA_PROXY_COUNT` proxies
`furima/wsgi.py` has already put the client's address there (werkzeug's ProxyFix, from the
entries those proxies appended to X-Forwarded-For). Never a header a client writes itself:
login lockouts (django-axes) and the /metrics allow-list must not be talked round.
"""

from __future__ import annotations


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")

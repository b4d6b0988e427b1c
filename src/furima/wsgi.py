"""The WSGI application gunicorn serves (`furima serve`).

Behind `FURIMA_PROXY_COUNT` proxies it is wrapped in werkzeug's ProxyFix, so REMOTE_ADDR is
the client's address (taken from the entries those proxies appended to X-Forwarded-For)
for every part of furima that looks (`furima.client_address`): login lockouts, the /metrics
allow-list.
Only the forwarded-for header is trusted; the scheme comes from FURIMA_PROXY_SSL_HEADER.
"""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from werkzeug.middleware.proxy_fix import ProxyFix

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furima.settings")


def build_application(proxy_count: int):
    django_application = get_wsgi_application()
    if proxy_count == 0:
        return django_application
    return ProxyFix(django_application, x_for=proxy_count, x_proto=0, x_host=0)


def settle() -> None:
    """Load what the first request would (the URLconf imports every view), then move all
    of it out of the cyclic garbage collector's reach with `gc.freeze()`. Otherwise each
    full collection walks Django and furima's ~120,000 long-lived objects: about 125 ms on
    the benchmark machine once every few hundred requests, the slowest request of a page
    (bench/README.md, "The collector's pauses"). Loaded before gunicorn forks (`--preload`),
    the frozen objects also stay shared between the processes: a collection no longer
    touches their pages."""
    get_resolver().url_patterns  # noqa: B018 (evaluated for its imports)
    gc.freeze()


application = build_application(settings.FURIMA_PROXY_COUNT)
settle()

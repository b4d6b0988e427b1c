"""The API docs page loads Swagger UI from the site itself, which the site's
Content-Security-Policy allows; a CDN would be blocked (and unreachable offline)."""

from __future__ import annotations

import re

from django.test import Client


def test_the_docs_load_their_script_and_styles_from_the_site(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    assert [a for a in assets if not a.startswith("/static/")] == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_swagger_assets_are_served(live_server):
    from urllib.request import urlopen

    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        with urlopen(f"{live_server.url}/static/ninja/{asset}", timeout=10) as response:
            assert response.status == 200

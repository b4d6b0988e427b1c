"""The stylesheet and htmx are served by the app itself (WhiteNoise), with no build step."""

from urllib.request import urlopen


def test_the_stylesheet_and_htmx_are_served(live_server):
    with urlopen(f"{live_server.url}/static/furima/app.css", timeout=10) as css:
        assert css.headers["Content-Type"].startswith("text/css")
        assert b".page" in css.read()
    with urlopen(f"{live_server.url}/static/furima/vendor/htmx.min.js", timeout=10) as js:
        assert js.status == 200
        assert b"htmx" in js.read()

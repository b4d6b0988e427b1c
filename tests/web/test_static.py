"""The stylesheet and htmx are served by the app itself (WhiteNoise), with no build step."""

from django.test import Client


def test_the_stylesheet_and_htmx_are_served():
    client = Client()
    css = client.get("/static/furima/app.css")
    js = client.get("/static/furima/vendor/htmx.min.js")
    try:
        assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
        assert b".page" in b"".join(css.streaming_content)
        assert js.status_code == 200
    finally:
        css.close()
        js.close()

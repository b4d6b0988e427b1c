"""With DEBUG off (production and the demo) visitors get friendly 404 and 500 pages in their
language, never a traceback or the URL list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from furima import urls as site_urls


def broken_page(request):
    raise RuntimeError("a bug nobody has found yet")


urlpatterns = [*site_urls.urlpatterns, path("broken/", broken_page)]


@pytest.mark.parametrize(
    ("language", "heading"), [("ja", "ページが見つかりません"), ("en", "Page not found")]
)
def test_an_unknown_address_gets_the_friendly_404(db, language, heading):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/items/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert heading in html
    assert 'data-testid="error-page"' in html
    assert "URLconf" not in html and "Traceback" not in html


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading"), [("ja", "エラーが発生しました"), ("en", "Something went wrong")]
)
def test_a_failing_page_gets_the_friendly_500(db, language, heading):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)

    response = browser.get("/broken/")

    html = response.content.decode()
    assert response.status_code == 500
    assert heading in html
    assert "a bug nobody has found yet" not in html and "Traceback" not in html

"""The URLconf of bench/floor_site.py: furima's URLs and the minimal page for signed-in users."""

from __future__ import annotations

from functools import cache

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from furima.market.models import Listing

PAGE = (
    '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">'
    "<title>{{ item.title }}</title></head>\n<body><h1>"
    "{{ item.title }}</h1><p>{{ item.price }}円</p></body></html>\n"
)


@cache
def _template():
    return engines["django"].from_string(PAGE)  # compiled once, as a cached loader would


def item(request, pk: int):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    listing = get_object_or_404(Listing.objects.only("title", "price"), pk=pk)
    return HttpResponse(_template().render({"item": listing}, request))


urlpatterns = [path("floor/item/<int:pk>/", item), path("", include("furima.urls"))]

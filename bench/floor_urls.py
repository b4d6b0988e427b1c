"""The URLconf of bench/floor_site.py: furima's URLs and the minimal page for signed-in users."""

from __future__ import annotations

from functools import cache

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from furima.market.models import Listing
from minimal_page import PAGE


@cache
def _template():
    return engines["django"].from_string(PAGE)  # compiled once, as a cached loader would


def item(request, pk: int):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    listing = get_object_or_404(Listing.objects.only("title", "price"), pk=pk)
    return HttpResponse(_template().render({"item": listing}, request))


urlpatterns = [path("floor/item/<int:pk>/", item), path("", include("furima.urls"))]

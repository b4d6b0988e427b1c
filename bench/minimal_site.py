"""The reference page for bench/web.py: the smallest honest Django page on the same database.

One primary-key query through the ORM (a listing's title and price, read from furima's own
table) and a small template, no middleware, served by the same gunicorn configuration as
furima. What furima's pages cost beyond this is furima's own work; the ratio of their req/s
to this page's, measured in the same run, does not move when the shared machine gets busier.

    gunicorn --chdir bench minimal_site:application      # FURIMA_DATABASE_URL must be set

`GET /item/<pk>/` answers 200 with the listing, 404 if there is none.
"""

from __future__ import annotations

import gc
import os

import dj_database_url
import django
from django.conf import settings

from minimal_page import PAGE

DATABASE = dj_database_url.parse(
    os.environ["FURIMA_DATABASE_URL"],
    conn_max_age=int(os.environ.get("FURIMA_CONN_MAX_AGE", "60")),
)
if DATABASE["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "FURIMA_PREPARED_STATEMENTS", "1"
).lower() in ("1", "true", "yes", "on"):
    # As furima's settings do: its one statement is planned once per connection too.
    DATABASE.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("FURIMA_SECRET_KEY", "bench-minimal-site"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[__name__],
    MIDDLEWARE=[],
    USE_TZ=True,
    DATABASES={"default": DATABASE},
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"item.html": PAGE},
                    )
                ]
            },
        }
    ],
)
django.setup()

from django.db import models  # noqa: E402  (models need the settings above)
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.urls import path  # noqa: E402


class Item(models.Model):
    """furima's listing table, read only (this site never migrates anything)."""

    title = models.CharField(max_length=200)
    price = models.IntegerField()

    class Meta:
        app_label = __name__
        db_table = "market_listing"
        managed = False


def item(request, pk: int):
    return render(request, "item.html", {"item": get_object_or_404(Item, pk=pk)})


urlpatterns = [path("item/<int:pk>/", item)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
# As furima.wsgi does: what is loaded now is out of the cyclic collector's reach.
gc.freeze()

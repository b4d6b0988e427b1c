"""The second reference for bench/web.py: the minimal page behind furima's own front door.

`minimal_site.py` has no middleware, no session and no user. A page a signed-in person sees
cannot skip those: this one is furima itself (its settings, all fourteen middleware, the
database session, the user read on every request) serving the minimal page's work — one
primary-key query on the listing table and the same four-line template — to a signed-in
user. What the trade page costs beyond this floor is the trade page's own work; the ratio
of the floor to the minimal page is what signing in costs.

The settings module of furima's WSGI application (the URLconf is `floor_urls.py`):

    DJANGO_SETTINGS_MODULE=floor_site gunicorn --chdir bench furima.wsgi:application

`GET /floor/item/<pk>/` answers 200 to a signed-in user, 403 to anyone else; every furima
URL (the login page among them) answers as usual.
"""

from __future__ import annotations

from furima.settings import *  # noqa: F403  (furima's settings, unchanged)

ROOT_URLCONF = "floor_urls"

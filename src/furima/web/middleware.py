"""A signed-in user's chosen language (notification settings) for their pages.

Django's LocaleMiddleware picks the language from the language cookie, else the browser's
Accept-Language. After login on a device without that cookie, the user's own choice wins
over the browser's; a click on the header's language switch (which sets the cookie) still
wins over both. The choice is looked up once per session.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from furima.notify.selectors import chosen_language

SESSION_KEY = "furima_language"


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            language = request.session.get(SESSION_KEY)
            if language is None:
                language = chosen_language(user=user)
                request.session[SESSION_KEY] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

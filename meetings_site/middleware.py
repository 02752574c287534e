"""The project's middleware: the language (Chinese unless chosen), and no caching of what a signed-in
person was shown."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not a choice: a bureau's
    screens are in Chinese unless the person picked English with the language switch (its cookie)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and translation.check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """What a signed-in person is shown (every page, fragment and download) and every attachment is
    kept by no browser or proxy cache: `Cache-Control: no-store, private` and `Pragma: no-cache`.
    Static files (served by WhiteNoise before this runs, or under STATIC_URL) are left cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition") \
                or response.get("Content-Type", "").startswith("text/calendar"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response

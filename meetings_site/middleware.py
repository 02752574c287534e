"""The project's middleware: the language (Chinese unless chosen), the input boundary (control
characters out of every GET and POST value), and no caching of what a signed-in person was shown."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
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


# C0 and C1 control characters except tab and newline, DEL, lone surrogates and the two noncharacters
# that XML forbids: PostgreSQL refuses NUL in text, openpyxl and python-docx refuse the rest, and a line
# break in a header (an e-mail subject) is a header injection. Carriage returns become newlines first.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_input(value: str) -> str:
    """A value as the site accepts it: control characters removed, line ends made `\\n`; tab, newline
    and every printable character (Chinese, emoji, markup, formulas) kept exactly as sent."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _clean(query: QueryDict) -> QueryDict:
    if not any(CONTROL.search(v) or "\r" in v for key, values in query.lists() for v in (key, *values)):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(clean_input(key), [clean_input(v) for v in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    """The one input boundary: every GET and POST value (and name) reaches the views without control
    characters, so no screen, document, export, feed or e-mail header downstream ever sees one.
    Uploaded files are left exactly as sent. A control character in the path itself is a bad request:
    no URL of this site has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info):
            raise BadRequest("control character in the path")
        request.GET = _clean(request.GET)
        if request.method == "POST":
            request.POST = _clean(request.POST)
        return self.get_response(request)


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

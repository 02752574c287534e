"""Every URL of the site is permission-checked: an anonymous visitor is sent to the login page (or
gets 404/405), never a page; the few public URLs are listed here on purpose."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "logout", "set_language", "calendar_feed"}  # the feed is guarded by its secret token
# The load balancer's probes have no session: public on purpose, and they answer only ok/fail
# (tests/test_health.py).
PROBES = {"healthz", "readyz"}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the Django admin has its own login
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def _sample(route: str) -> str:
    import re

    url = re.sub(r"<int:[^>]+>", "1", route)
    url = re.sub(r"<slug:[^>]+>", "x", url)
    url = re.sub(r"<str:[^>]+>", "x", url)
    return "/" + url.replace("^", "").replace("$", "")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), sorted(_patterns()))
def test_every_url_refuses_an_anonymous_visitor(client, name, route):
    if name in PUBLIC:
        return
    if name in PROBES:  # answered to anyone, with ok/fail lines and nothing else; no writes
        response = client.get(_sample(route))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], (name, response.status_code)
        assert all(line.split(" ")[-1] in ("ok", "fail") for line in response.content.decode().splitlines())
        assert client.post(_sample(route)).status_code == 405
        return
    url = _sample(route)
    for response in (client.get(url), client.post(url)):
        assert response.status_code in (302, 404, 405), (name, url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (name, url)


def test_the_public_urls_are_few_and_known():
    names = {name for name, _ in _patterns()}
    assert PUBLIC <= names | {"set_language"}
    assert PROBES <= names

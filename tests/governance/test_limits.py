"""Rate limits (django-ratelimit, 429 in Chinese) and the per-topic limits on materials (R-AG-4)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Material
from governance.rules.refusals import TransitionRefused
from governance.services.materials import add_material
from tests.factories import UserFactory
from tests.governance.test_meeting_views import meeting, pg  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_login_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    for n in range(3):
        UserFactory(username=f"u{n}")
        client.post(reverse("login"), {"username": f"u{n}", "password": "pass-for-tests-2026"},
                    REMOTE_ADDR="198.51.100.1")
    response = client.post(reverse("login"), {"username": "u0", "password": "x"}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    other = client.post(reverse("login"), {"username": "u0", "password": "pass-for-tests-2026"},
                        REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302


def test_search_is_rate_limited_per_account(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    client.force_login(UserFactory(username="wang"))
    assert client.get(reverse("search"), {"q": "会议"}).status_code == 200
    assert client.get(reverse("search"), {"q": "会议"}).status_code == 200
    assert client.get(reverse("search"), {"q": "会议"}).status_code == 429
    client.force_login(UserFactory(username="li"))
    assert client.get(reverse("search"), {"q": "会议"}).status_code == 200


def test_proposing_topics_and_uploading_are_rate_limited(client, settings, presets, meeting):  # noqa: F811
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "propose_topic": "1/h", "upload": "1/h"}
    client.force_login(presets.clerk)
    url = reverse("topic_new", args=[meeting.pk])
    client.post(url, {"title": "一"})
    assert client.post(url, {"title": "二"}).status_code == 429
    topic = meeting.topics.get(title="政策文件议题")
    upload = reverse("material_upload", args=[topic.pk])
    client.post(upload, {"material": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert client.post(upload, {"material": SimpleUploadedFile("b.pdf", b"%PDF-1.4")}).status_code == 429


def test_raising_queries_is_rate_limited_but_other_minutes_actions_are_not(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "raise_query": "1/h"}
    client.force_login(UserFactory(username="wang"))
    first = client.post(reverse("minutes_action", args=[999999, "query"]), {"text": "x"})
    assert first.status_code == 404
    assert client.post(reverse("minutes_action", args=[999999, "query"]), {"text": "x"}).status_code == 429
    assert client.post(reverse("minutes_action", args=[999999, "answer"]), {"text": "x"}).status_code == 404


def test_materials_per_topic_are_limited_in_number_and_total_size(presets, meeting, settings):  # noqa: F811
    """R-AG-4: per topic, at most MATERIALS_PER_TOPIC_MAX files and MATERIALS_PER_TOPIC_MAX_BYTES in all."""
    topic = meeting.topics.get(title="政策文件议题")
    settings.MATERIALS_PER_TOPIC_MAX = 2
    add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"))
    with pytest.raises(TransitionRefused, match="上限"):
        add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
    settings.MATERIALS_PER_TOPIC_MAX = 20
    settings.MATERIALS_PER_TOPIC_MAX_BYTES = 20
    with pytest.raises(TransitionRefused, match="总大小"):
        add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4" + b"0" * 10))
    assert Material.objects.filter(topic=topic).count() == 2


class ExplodingBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request served through the WSGI handler here must not close
    the test's database connection when it finishes (PostgreSQL would lose the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_body_over_the_limit_is_refused_before_it_is_read(presets, meeting, settings, connection_kept):  # noqa: F811
    """Content-Length alone decides (RequestSizeMiddleware): 413, the body unread, nothing saved; at
    exactly REQUEST_MAX_BYTES the request goes on to the view."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    settings.REQUEST_MAX_BYTES = 1000
    url = f"/meetings/{meeting.pk}/topics/new/"
    handler, statuses, materials = WSGIHandler(), [], Material.objects.count()

    def post(length: int, body=None):
        environ = RequestFactory().post(url, data=b"", content_type="multipart/form-data; boundary=x").environ
        environ.update({"CONTENT_LENGTH": str(length), "wsgi.input": body or ExplodingBody()})
        response = handler(environ, lambda status, headers: statuses.append((int(status[:3]), dict(headers))))
        return b"".join(response).decode()

    page = post(2 * 1024 ** 3)
    assert statuses[-1][0] == 413 and statuses[-1][1]["Connection"] == "close"
    assert "提交的内容过大" in page and "20 MB" in page
    post(1001)
    assert statuses[-1][0] == 413
    post(1000, body=io.BytesIO(b"-" * 1000))  # at the limit: on to the rest (here CSRF refuses a bare post)
    assert statuses[-1][0] == 403
    assert Material.objects.count() == materials

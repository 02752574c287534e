import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.world import build_world
import os

@pytest.mark.django_db
def test_show(presets):
    w = build_world(presets)
    c = Client(); c.force_login(getattr(presets, os.environ.get("WHO", "clerk")))
    for url in os.environ["URLS"].split(","):
        url = url.replace("MEETING", str(w.meeting.pk)).replace("MINUTES", str(w.minutes.pk)).replace("HELD", str(w.held.pk)).replace("ACTION", str(w.action.pk))
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url)
        print("=====", url, r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("  ", q["sql"][:300])

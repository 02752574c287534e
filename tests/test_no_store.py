"""No browser or proxy keeps what a signed-in person was shown: every response to a signed-in request,
and every download, says `Cache-Control: no-store, private` and `Pragma: no-cache`; static files
do not (meetings_site.middleware.NoStoreMiddleware)."""

from __future__ import annotations

from django.test import Client

from tests.world import build_world, sample_paths

DOWNLOADS = {"material_download", "notice_docx", "attendance_docx", "minutes_docx", "minutes_export_download",
             "ledger_export", "calendar_feed"}


def assert_no_store(response, what: str) -> None:
    cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache, (what, response.status_code, response.get("Cache-Control"))
    assert response.get("Pragma") == "no-cache", (what, response.status_code)


def test_every_get_url_and_every_download_is_not_stored_for_a_signed_in_person(presets):
    world = build_world(presets)
    for persona in ("clerk", "head"):
        walk_every_get_url(world, getattr(presets, persona))
    download_each_file(world, presets)


def walk_every_get_url(world, person) -> None:
    client = Client()
    client.force_login(person)
    statuses = {}
    for name, path in sample_paths(world):
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        assert_no_store(response, f"{name} {path}")
        statuses.setdefault(name, set()).add(response.status_code)
        if name == "logout":
            client.force_login(person)
    assert 200 in statuses["home"] and any(200 in statuses[name] for name in ("meeting_detail", "minutes_detail"))


def download_each_file(world, p) -> None:
    """Each download as the person it is for, and the calendar feed, which is fetched without a session."""
    asked = {"material_download": (p.clerk, f"/materials/{world.material.pk}/"),
             "notice_docx": (p.clerk, f"/minutes/notice/{world.meeting.pk}.docx"),
             "attendance_docx": (p.clerk, f"/minutes/attendance/{world.meeting.pk}.docx"),
             "minutes_docx": (p.head, f"/minutes/{world.minutes.pk}/docx/"),
             "minutes_export_download": (p.clerk, f"/minutes/exports/{world.job.pk}/download/"),
             "ledger_export": (p.clerk, "/ledgers/export.xlsx"),
             "calendar_feed": (None, f"/calendar/feed/{p.clerk.calendar_feed.token}.ics")}
    assert set(asked) == DOWNLOADS
    for name, (person, path) in asked.items():
        client = Client()
        if person:
            client.force_login(person)
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        assert_no_store(response, name)
    client = Client()
    client.force_login(p.clerk)
    response = client.get("/ledgers/export.csv?register=actions")
    b"".join(response.streaming_content)
    assert_no_store(response, "ledger csv")


def test_static_files_are_left_cacheable(client, presets):
    client.force_login(presets.clerk)
    response = client.get("/static/css/site.css")
    assert "no-store" not in response.get("Cache-Control", ""), response.get("Cache-Control")
    assert not response.has_header("Pragma")


def test_the_admin_is_not_stored_either(client, django_user_model, presets):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-2026-x"))
    assert_no_store(client.get("/admin/"), "admin index")
    assert_no_store(client.get("/admin/governance/meeting/"), "admin list")


"""Minutes screens per persona: division staff cannot read another division's minutes, recipients
can, the Supervision Office reads filed minutes, nobody edits approved minutes (view, admin, ORM)."""

import io
import zipfile

import pytest
from django.urls import reverse

from minutes.models import ArchiveExport, Minutes, Revision, RevisionStatus
from minutes.services import distribution, drafting


@pytest.fixture
def approved_minutes(presets, closed_da):
    revision = drafting.start_minutes(actor=presets.head, meeting=closed_da)
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    return Minutes.objects.get(pk=revision.minutes_id)


@pytest.mark.parametrize(("persona", "status"), [
    ("head", 200), ("staff", 200), ("deputy", 200), ("secretary", 200), ("discipline", 200), ("supervisor", 200),
    ("other_staff", 404), ("other_head", 404), ("clerk", 404), ("outsider", 404), ("deputy2", 404),
])
def test_who_reads_division_minutes(client, presets, approved_minutes, persona, status):
    client.force_login(getattr(presets, persona))
    assert client.get(reverse("minutes_detail", args=[approved_minutes.pk])).status_code == status
    assert client.get(reverse("minutes_docx", args=[approved_minutes.pk])).status_code == status


def test_minutes_page_shows_number_due_date_and_readers(client, presets, approved_minutes):
    distribution.acknowledge(actor=presets.deputy, minutes=approved_minutes)
    client.force_login(presets.head)
    body = client.get(reverse("minutes_detail", args=[approved_minutes.pk])).content.decode()
    assert approved_minutes.number in body and "已阅 1 / 5" in body and "按期分送" in body
    assert "商务局处务会会议纪要制度" in body  # the clause of the deadline


def test_recipient_acknowledges_through_the_page(client, presets, approved_minutes):
    client.force_login(presets.discipline)
    client.post(reverse("minutes_action", args=[approved_minutes.pk, "ack"]))
    assert approved_minutes.recipients.get(person=presets.discipline).read_at is not None


def test_nobody_edits_approved_minutes_through_the_edit_view(client, presets, approved_minutes):
    revision = approved_minutes.revisions.get()
    client.force_login(presets.head)
    response = client.post(reverse("revision_edit", args=[revision.pk]), {"title": "篡改", "summary": "x"}, follow=True)
    assert "不能修改" in response.content.decode()
    revision.refresh_from_db()
    assert revision.title != "篡改"
    client.force_login(presets.staff)  # not the drafter
    assert client.get(reverse("revision_edit", args=[revision.pk])).status_code == 403


def test_nobody_edits_approved_minutes_in_the_admin(client, presets, approved_minutes, django_user_model):
    """R-MI-3: neither a superuser nor the system administrator changes or deletes an approved version in the
    admin; they do not even read it there (the minutes are read through their gate)."""
    from tests.conftest import make_admin

    revision = approved_minutes.revisions.get()
    url = reverse("admin:minutes_revision_change", args=[revision.pk])
    for user in (django_user_model.objects.create_superuser("root", "r@example.com", "pw-2026-x"),
                 make_admin("sysadmin", "system")):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "篡改"}).status_code == 403
        assert client.post(reverse("admin:minutes_revision_delete", args=[revision.pk]), {"post": "yes"}).status_code == 403
    revision.refresh_from_db()
    assert revision.title != "篡改" and revision.status == RevisionStatus.APPROVED
    assert Revision.objects.filter(pk=revision.pk).exists()


@pytest.mark.parametrize("model", ["minutes", "revision", "recipient", "query", "minutescounter", "archiveexport"])
def test_minutes_admin_lists_are_view_only_and_only_by_explicit_grant(client, django_user_model, presets,
                                                                       approved_minutes, model):
    from django.contrib.auth.models import Permission

    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-2026-x"))
    assert client.get(reverse(f"admin:minutes_{model}_changelist")).status_code == 403
    reader = django_user_model.objects.create_user("reader", password="pw-2026-x", is_staff=True, is_superuser=True)
    reader.user_permissions.add(Permission.objects.get(content_type__app_label="minutes", codename=f"view_{model}"))
    client.force_login(reader)
    assert client.get(reverse(f"admin:minutes_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:minutes_{model}_add")).status_code == 403


def test_supervision_screen_filters_filed_minutes(client, presets, approved_minutes):
    client.force_login(presets.supervisor)
    url = reverse("minutes_supervision")
    assert approved_minutes.number in client.get(url).content.decode()
    assert approved_minutes.number in client.get(url + "?reviewed=no&timeliness=on_time&unit=trade").content.decode()
    assert approved_minutes.number not in client.get(url + "?reviewed=yes").content.decode()
    assert approved_minutes.number not in client.get(url + "?timeliness=late").content.decode()
    client.force_login(presets.staff)
    assert client.get(url).status_code == 403


def test_query_thread_through_the_page(client, presets, approved_minutes):
    client.force_login(presets.supervisor)
    client.post(reverse("minutes_action", args=[approved_minutes.pk, "query"]), {"text": "请说明资金依据"})
    client.force_login(presets.head)
    client.post(reverse("minutes_action", args=[approved_minutes.pk, "answer"]), {"text": "依据局党组决定"})
    body = client.get(reverse("minutes_detail", args=[approved_minutes.pk])).content.decode()
    assert "请说明资金依据" in body and "依据局党组决定" in body


def test_archive_export_builds_a_zip_with_an_index(client, presets, approved_minutes):
    """R-MI-6: a year's minutes as one zip with an index spreadsheet, built in the background."""
    # Tasks run in-process for every test (the session fixture in tests/conftest.py).
    client.force_login(presets.supervisor)
    year = approved_minutes.year
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
        client.post(reverse("minutes_exports"), {"year": year, "unit": ""})
    job = ArchiveExport.objects.get()
    assert job.status == "done" and job.total == 1
    response = client.get(reverse("minutes_export_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "索引.xlsx" in names and any(n.endswith(".docx") for n in names)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(archive.read("索引.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][0] == approved_minutes.number
    client.force_login(presets.staff)
    assert client.get(reverse("minutes_exports")).status_code == 403
    assert client.get(reverse("minutes_export_download", args=[job.pk])).status_code == 404


def test_an_older_version_says_it_was_corrected(client, presets, approved_minutes):
    rev2 = distribution.start_correction(actor=presets.head, minutes=approved_minutes, reason="更正")
    client.force_login(presets.head)
    body = client.get(reverse("minutes_detail", args=[approved_minutes.pk])).content.decode()
    assert reverse("minutes_action", args=[approved_minutes.pk, "archive"]) not in body  # not while a draft is open
    drafting.submit_revision(actor=presets.head, revision=rev2)
    drafting.approve_revision(actor=presets.head, revision=rev2)
    body = client.get(reverse("minutes_detail", args=[approved_minutes.pk]) + "?rev=1").content.decode()
    assert 'data-testid="newer-version"' in body and "第2版" in body


def test_r_co_2_party_group_minutes_are_read_by_grant(client, presets):
    """R-CO-2: the PG minutes book is kept by the General Office; other office staff read it only when granted."""
    from guardian.shortcuts import assign_perm

    from tests.governance.test_followup import run_pg

    meeting, _ = run_pg(presets)
    revision = drafting.start_minutes(actor=presets.clerk, meeting=meeting)
    drafting.submit_revision(actor=presets.clerk, revision=revision)
    drafting.approve_revision(actor=presets.secretary, revision=revision)
    minutes = revision.minutes
    url = reverse("minutes_detail", args=[minutes.pk])
    client.force_login(presets.office_head)  # General Office head, neither recorder nor member
    assert client.get(url).status_code == 404
    assign_perm("minutes.view_minutes", presets.office_head, minutes)
    assert client.get(url).status_code == 200
    client.force_login(presets.deputy)  # a member
    assert client.get(url).status_code == 200

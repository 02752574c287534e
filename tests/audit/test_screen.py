"""The audit administrator's screen: only for holders of the audit permissions (a superuser is not one
by being a superuser), searched by time, actor, category, outcome, object and address, 50 a page
newest first, exported to CSV and .xlsx with formula-looking text neutralised, queries bounded."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.services import record
from tests.audit.conftest import events

pytestmark = pytest.mark.django_db
LIST = reverse("audit_events")


# The session is saved on every request for the idle timeout (SAVEPOINT, UPDATE, RELEASE), and the
# second factor's device is loaded for the audit administrator (django-otp): constant per request.
SESSION_SAVE = 4


def _event(*, days_ago=0, **fields):
    fields.setdefault("category", "download")
    fields.setdefault("action", "notice.docx")
    e = AuditEvent(at=timezone.now() - datetime.timedelta(days=days_ago), **fields)
    e.save()
    return e


def _shown(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [row[0].pk for row in response.context["rows"]]


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    return [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


# Who sees it


def test_a_person_without_the_permission_is_refused(client, presets):
    client.force_login(presets.secretary)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit_export", args=["csv"])).status_code == 403


def test_a_superuser_without_the_permission_is_refused(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-2026")
    client.force_login(root)
    assert root.has_perm("audit.view_auditevent")  # what Django says for any superuser
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit_export", args=["xlsx"])).status_code == 403


def test_a_superuser_with_the_permission_on_a_group_gets_in(client, django_user_model, auditor):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-2026")
    root.groups.add(*auditor.groups.all())
    client.force_login(root)
    assert client.get(LIST).status_code == 200


def test_searching_without_exporting(client, searcher):
    client.force_login(searcher)
    response = client.get(LIST)
    assert response.status_code == 200 and 'data-testid="audit-export-csv"' not in response.content.decode()
    assert client.get(reverse("audit_export", args=["csv"])).status_code == 403
    assert client.get(reverse("audit_export", args=["xlsx"])).status_code == 403


def test_the_navigation_shows_the_screen_to_the_auditor_only(client, auditor, presets):
    client.force_login(auditor)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()
    client.force_login(presets.secretary)
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


# Search


def test_newest_first_fifty_a_page_with_page_links(client, auditor):
    made = [_event(days_ago=i) for i in range(120)]
    client.force_login(auditor)
    response = client.get(LIST)
    assert response.context["page"].paginator.count == 121  # and the auditor's own login, newest
    assert _shown(client, "?category=download") == [e.pk for e in made[:50]]
    body = client.get(LIST + "?category=download").content.decode()
    assert 'href="?page=2&amp;category=download"' in body and 'href="?page=3&amp;category=download"' in body
    assert _shown(client, "?category=download&page=3") == [e.pk for e in made[100:120]]
    assert 'href="?page=1&amp;category=download"' in client.get(LIST + "?category=download&page=2").content.decode()


def test_search_by_time_range(client, auditor):
    old, mid, new = _event(days_ago=30), _event(days_ago=10), _event(days_ago=0)
    client.force_login(auditor)
    start = timezone.localdate() - datetime.timedelta(days=15)
    end = timezone.localdate() - datetime.timedelta(days=5)
    assert _shown(client, f"?start={start}&end={end}") == [mid.pk]
    assert _shown(client, f"?category=download&start={start}") == [new.pk, mid.pk]
    assert _shown(client, f"?end={end}") == [mid.pk, old.pk]
    moment = timezone.localtime(mid.at).strftime("%Y-%m-%dT%H:%M")
    assert _shown(client, f"?start={moment}&end={moment}") == [mid.pk]  # to the minute, both ends included
    refused = client.get(LIST + "?start=yesterday")
    assert refused.context["rows"] == [] and "请输入日期" in refused.content.decode()


def test_search_by_actor_user_name_or_name(client, auditor, presets):
    mine = record(actor=presets.head, category="login", action="login")
    typed = record(actor=None, actor_name="head", category="login_failed", action="login", outcome="failure")
    other = record(actor=presets.staff, category="login", action="login")
    client.force_login(auditor)
    assert set(_shown(client, "?actor=head")) == {mine.pk, typed.pk}
    assert _shown(client, "?actor=陈处") == [mine.pk]  # part of the name
    assert _shown(client, "?actor=staff") == [other.pk]


def test_search_by_category_outcome_object_and_address(client, auditor, presets):
    failed = record(actor=None, actor_name="x", category="login_failed", action="login", outcome="failure",
                    request=_request("198.51.100.7"))
    download = record(actor=presets.head, category="download", action="notice.docx", obj=presets.trade,
                      request=_request("198.51.100.70"))
    other = record(actor=presets.head, category="download", action="notice.docx", obj=presets.invest,
                   request=_request("10.9.9.9"))
    client.force_login(auditor)
    login_event = AuditEvent.objects.get(category="login", actor=auditor)  # the auditor's own login
    assert _shown(client, "?category=login_failed") == [failed.pk]
    assert _shown(client, "?outcome=failure") == [failed.pk]
    assert _shown(client, "?object_type=governance.unit") == [other.pk, download.pk]
    assert _shown(client, f"?object_type=governance.unit&object_id={presets.trade.pk}") == [download.pk]
    assert _shown(client, "?address=198.51.100.7") == [failed.pk]  # a whole address: exactly that one
    assert _shown(client, "?address=198.51.100.") == [download.pk, failed.pk]  # a prefix
    assert login_event.pk in _shown(client, "?category=login")


def _request(address):
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=address, HTTP_USER_AGENT="Agent")


def test_the_list_query_count_does_not_grow_with_rows(client, auditor, django_assert_max_num_queries):
    for i in range(5):
        _event(days_ago=i, actor=auditor, actor_name="审计员", object_type="governance.meeting", object_id=str(i))
    client.force_login(auditor)
    with django_assert_max_num_queries(8 + SESSION_SAVE):
        assert client.get(LIST).status_code == 200
    for i in range(80):
        _event(days_ago=i, actor=auditor, actor_name="审计员", object_type="governance.meeting", object_id=str(i))
    with django_assert_max_num_queries(8 + SESSION_SAVE):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(8 + SESSION_SAVE):
        assert client.get(LIST + "?actor=auditor&page=2").status_code == 200


def test_exports_query_count_does_not_grow_with_rows(client, auditor, django_assert_max_num_queries):
    for i in range(300):
        _event(days_ago=i % 30)
    client.force_login(auditor)
    with django_assert_max_num_queries(10 + SESSION_SAVE):
        response = client.get(reverse("audit_export", args=["csv"]))
        assert len(_csv(response)) == 302  # header, 300 events and the auditor's login
    with django_assert_max_num_queries(10 + SESSION_SAVE):
        assert len(_xlsx(client.get(reverse("audit_export", args=["xlsx"])))) == 303  # and the CSV export


# Exports


def test_csv_export_has_the_filtered_rows_and_is_itself_recorded(client, auditor, presets):
    record(actor=presets.head, category="download", action="notice.docx", obj=presets.trade, label="外贸处",
           request=_request("198.51.100.7"))
    record(actor=presets.staff, category="login", action="login")
    client.force_login(auditor)
    response = client.get(reverse("audit_export", args=["csv"]) + "?category=download")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:4] == ["时间", "账号", "操作人姓名", "地址"]
    assert len(rows) == 1
    assert rows[0][1:11] == ["head", "陈处长", "198.51.100.7", "Agent", "下载", "notice.docx", "governance.unit",
                             str(presets.trade.pk), "外贸处", "成功"]
    [export] = events(category="export")
    assert (export.actor, export.action, export.detail) == (auditor, "audit.csv",
                                                            {"rows": 1, "filters": {"category": "download"}})


def test_xlsx_export_has_the_filtered_rows_and_is_itself_recorded(client, auditor, presets):
    record(actor=presets.head, category="download", action="notice.docx", obj=presets.trade, label="外贸处")
    record(actor=presets.staff, category="login", action="login", request=_request("10.1.1.1"))
    client.force_login(auditor)
    response = client.get(reverse("audit_export", args=["xlsx"]) + "?address=10.1.1.1")
    assert response.status_code == 200
    header, *rows = _xlsx(response)
    assert header[0] == "时间" and len(rows) == 1
    assert rows[0][1:4] == ["staff", "刘科员", "10.1.1.1"] and rows[0][5] == "登录"
    [export] = events(category="export")
    assert export.action == "audit.xlsx" and export.detail["filters"] == {"address": "10.1.1.1"}


def test_an_invalid_filter_exports_nothing(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("audit_export", args=["csv"]) + "?start=soon").status_code == 400
    assert client.get(reverse("audit_export", args=["pdf"])).status_code == 404
    assert not events(category="export")


FORMULAS = ["=HYPERLINK(\"http://evil.example/\",\"点击\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


def test_formula_looking_names_and_labels_are_neutralised_in_both_exports(client, auditor):
    for text in FORMULAS:
        record(actor=None, actor_name=text, category="login_failed", action="login", outcome="failure", label=text)
    client.force_login(auditor)
    query = "?category=login_failed"
    csv_rows = _csv(client.get(reverse("audit_export", args=["csv"]) + query))[1:]
    xlsx_rows = _xlsx(client.get(reverse("audit_export", args=["xlsx"]) + query))[1:]
    for rows in (csv_rows, xlsx_rows):
        names = sorted(row[2] for row in rows)
        labels = sorted(row[9] for row in rows)
        assert names == labels == sorted("'" + text for text in FORMULAS)
    book = load_workbook(io.BytesIO(client.get(reverse("audit_export", args=["xlsx"]) + query).content))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_control_characters_do_not_break_the_xlsx_export_nor_hide_a_formula(client, auditor):
    record(actor=None, actor_name="\x01=CMD()", category="login_failed", action="login", outcome="failure")
    client.force_login(auditor)
    rows = _xlsx(client.get(reverse("audit_export", args=["xlsx"]) + "?category=login_failed"))
    assert rows[1][2] == "'=CMD()"


def test_english_labels_when_english_is_chosen(client, auditor):
    client.cookies["django_language"] = "en"
    client.force_login(auditor)
    body = client.get(LIST).content.decode()
    assert "Security audit" in body and "安全审计" not in body

"""The Django admin: the eight meeting types with rules and clauses; bad rules refused with a reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import MeetingType
from governance.rules.presets import PRESETS


@pytest.fixture
def admin_client_(client, presets):
    """The system administrator (三员分立), who keeps meeting types in the admin; no superuser."""
    from tests.conftest import make_admin

    client.force_login(make_admin("sysadmin", "system"))
    return client


# What the system administrator keeps in the admin; every other governance page is a workflow record.
KEPT_BY_SYSTEM_ADMIN = {"bureau", "unit", "person", "appointment", "meetingtype", "topiccategory", "rulesource",
                        "calendaryear", "calendarday"}


def _post_data(bureau, **overrides):
    """The add form of a meeting type filled from the PG preset, with empty inlines."""
    preset = {k: v for k, v in PRESETS[0].items() if k not in {"categories", "sources"}}
    data = {"bureau": bureau.pk, **preset, "code": "XX", "name": "测试会议", "change_reason": "新增会议类型"}
    data.update(overrides)
    post = {}
    for key, value in data.items():
        if value is None:
            post[key] = ""
        elif isinstance(value, bool):
            if value:
                post[key] = "on"
        else:
            post[key] = value
    for prefix in ("categories", "rule_sources"):
        post.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return post


def test_admin_lists_the_eight_meeting_types_with_rules(admin_client_, presets):
    response = admin_client_.get(reverse("admin:governance_meetingtype_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("局党组会议", "局长办公会议", "局党组民主生活会", "中层干部会议", "全体干部职工会议",
                 "处室工作会议", "周一早会", "处务会"):
        assert name in body
    assert "半数以上" in body and "超过半数（应到会成员）" in body


def test_admin_change_page_shows_each_rule_with_its_clause(admin_client_, presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    body = admin_client_.get(reverse("admin:governance_meetingtype_change", args=[pg.pk])).content.decode()
    assert "研究干部人事问题时，必须有三分之二以上成员到会方可进行。" in body
    assert "《市级机关会议工作规定》（2023）一、（三）3" in body


def test_admin_changelist_query_count_does_not_grow_with_rows(admin_client_, presets):
    url = reverse("admin:governance_meetingtype_changelist")
    with CaptureQueriesContext(connection) as eight:
        admin_client_.get(url)
    MeetingType.objects.filter(code__in=["UW", "DA"]).delete()
    with CaptureQueriesContext(connection) as six:
        admin_client_.get(url)
    assert len(eight) == len(six)


def test_admin_add_valid_type(admin_client_, presets):
    response = admin_client_.post(reverse("admin:governance_meetingtype_add"), _post_data(presets.bureau))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MeetingType.objects.filter(code="XX").exists()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"quorum_num": 3, "quorum_den": 2}, "法定人数不能大于1"),
    ({"vote_num": -1}, "表决通过比例不能小于0"),
    ({"minutes_deadline_workdays": -2}, "期限不能为负数"),
    ({"chair_post": "unit_head"}, "全局会议无法确定由哪个处室的人担任"),
    ({"code": "PG"}, "本局已有相同代码的会议类型。"),
])
def test_admin_refuses_bad_rules_with_a_clear_message(admin_client_, presets, overrides, message):
    before = MeetingType.objects.count()
    response = admin_client_.post(reverse("admin:governance_meetingtype_add"), _post_data(presets.bureau, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MeetingType.objects.count() == before


def test_admin_per_unit_type_with_bureau_chair_is_refused(admin_client_, presets):
    data = _post_data(presets.bureau, scope="unit", unit_kinds=["division"], chair_post="party_secretary",
                      convener_post="unit_head", agenda_approver_post="unit_head")
    response = admin_client_.post(reverse("admin:governance_meetingtype_add"), data)
    assert "“党组书记”是局领导职务，任何处室/单位都不设此职务。" in response.content.decode()


def test_admin_history_and_object_permissions_pages(admin_client_, presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    pg.notice_lead_workdays = 2
    pg.save()
    history = admin_client_.get(reverse("admin:governance_meetingtype_history", args=[pg.pk]))
    assert history.status_code == 200 and "loadpresets" in history.content.decode()
    # Object permissions are granted by the services and on the security screen, not in the admin.
    assert admin_client_.get(f"/admin/governance/meetingtype/{pg.pk}/permissions/").status_code in (302, 404)


def _registered():
    from django.contrib import admin as django_admin

    return sorted(m._meta.model_name for m in django_admin.site._registry if m._meta.app_label == "governance")


@pytest.mark.parametrize("model", _registered())
def test_every_governance_admin_changelist_opens(admin_client_, model):
    """Every model of the app is in the admin; the system administrator opens the list and add pages of
    what they keep, and is refused (403) the workflow's records."""
    expected = 200 if model in KEPT_BY_SYSTEM_ADMIN else 403
    assert admin_client_.get(reverse(f"admin:governance_{model}_changelist")).status_code == expected
    add = admin_client_.get(reverse(f"admin:governance_{model}_add"))
    assert add.status_code == expected


def test_every_governance_model_is_in_the_admin():
    from django.apps import apps

    models = {m._meta.model_name for m in apps.get_app_config("governance").get_models()
              if not m._meta.model_name.startswith("historical")}
    # The rights tables (guardian's direct foreign-key grants) are written by the services and shown on
    # the security screen, never in the admin: a right on a confidential topic names the topic.
    rights = {"meetingright", "topicright", "actionright"}
    assert models - rights <= set(_registered())
    assert not rights & set(_registered())


def test_appointment_admin_refuses_unit_post_without_unit(admin_client_, presets):
    data = {"bureau": presets.bureau.pk, "person": presets.staff.pk, "post": "unit_head", "start": "2026-01-01",
            "change_reason": "任职"}
    response = admin_client_.post(reverse("admin:governance_appointment_add"), data)
    assert "是处室职务，必须填写处室/单位" in response.content.decode()

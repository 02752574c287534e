"""R-MI-4 through the database: the loaded chinesecalendar data, admin amendments, the command,
the system check and the admin.

The data migration has loaded 2004-2026 into the test database, so these use the real schedule.
Dates that depend on "today" are pinned to 2026-11-21, when next year's (2027) schedule is not yet
in the package.
"""

from __future__ import annotations

import datetime
import logging
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

import governance.admin.calendar  # noqa: F401  (registers the calendar admin)
from governance.checks import current_year_calendar_loaded
from governance.models import CalendarDay, CalendarSource, CalendarYear
from governance.rules.workdays import WorkdayResult
from governance.selectors import workdays as workcal
from governance.services import workdays as workday_loader

D = datetime.date
TODAY = D(2026, 11, 21)


@pytest.fixture
def today_2026(monkeypatch):
    """Pin "today" for the check, the admin and the command (they read timezone.localdate())."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def admin_client_2026(client, today_2026):
    """The system administrator (三员分立), who keeps the calendar."""
    from tests.conftest import make_admin

    client.force_login(make_admin("calendar-admin", "system"))
    return client


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the data migration -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_data_migration_loaded_every_year_the_package_knows():
    """R-MI-4."""
    years = list(CalendarYear.objects.order_by("year").values_list("year", "source"))
    assert years == [(y, CalendarSource.CHINESECALENDAR) for y in workcal.chinesecalendar_years()]
    assert years[0][0] == 2004 and years[-1][0] == 2026
    national_day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (national_day.is_workday, national_day.name, national_day.source) == (True, "国庆节", "chinesecalendar")
    # Weekend days inside a holiday are rest days anyway and are not stored.
    assert not CalendarDay.objects.filter(date=D(2026, 10, 3)).exists()


@pytest.mark.django_db
def test_r_mi_4_sync_after_the_migration_changes_nothing():
    """R-MI-4."""
    counts = workday_loader.sync_from_chinesecalendar()
    assert (counts["created"], counts["updated"], counts["removed"], counts["years_created"]) == (0, 0, 0, 0)
    assert counts["unchanged"] == CalendarDay.objects.count()


# --- the deadline service on the real schedule ---------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_minutes_due_three_working_days_after_30_september_2026(caplog):
    """R-MI-4: 1-7 October off; 8, 9 and Saturday 10 October (调休上班) are the three working days."""
    with caplog.at_level(logging.WARNING, logger="governance.calendar"):
        assert workcal.add_workdays(D(2026, 9, 30), 3) == WorkdayResult(D(2026, 10, 10))
    assert not caplog.records


@pytest.mark.django_db
def test_r_mi_4_spring_festival_2026_make_up_saturday_and_nine_days_off():
    """R-MI-4."""
    assert workcal.add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)  # Saturday, worked
    assert workcal.add_workdays(D(2026, 2, 12), 3).date == D(2026, 2, 24)  # 15-23 February off
    assert workcal.add_workdays(D(2026, 2, 24), -2).date == D(2026, 2, 13)


@pytest.mark.django_db
def test_r_mi_4_year_end_runs_into_unknown_2027_with_a_logged_warning(caplog):
    """R-MI-4."""
    with caplog.at_level(logging.WARNING, logger="governance.calendar"):
        result = workcal.add_workdays(D(2026, 12, 30), 3)
    assert result == WorkdayResult(D(2027, 1, 4), fallback_years=(2027,))
    [record] = [r for r in caplog.records if r.name == "governance.calendar"]
    assert record.levelno == logging.WARNING
    assert "2027" in record.getMessage() and "周一至周五" in record.getMessage()


@pytest.mark.django_db
def test_r_mi_4_window_widens_when_an_admin_enters_a_long_holiday():
    """R-MI-4: 3n+30 days is only the first guess; a 60-day closure must still be counted right."""
    day = D(2026, 3, 2)
    while day <= D(2026, 4, 30):
        if day.weekday() < 5:
            CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": False, "source": "admin"})
        day += datetime.timedelta(days=1)
    assert workcal.add_workdays(D(2026, 2, 28), 1).date == D(2026, 5, 6)  # 1-5 May are Labour Day
    assert workcal.add_workdays(D(2026, 5, 6), -1).date == D(2026, 2, 28)  # make-up Saturday


@pytest.mark.django_db
def test_r_mi_4_workdays_between_counts_lateness_on_the_real_schedule():
    """R-MI-4."""
    assert workcal.workdays_between(D(2026, 10, 10), D(2026, 10, 13)) == 2
    assert workcal.workdays_between(D(2026, 9, 30), D(2026, 10, 7)) == 0


@pytest.mark.django_db
def test_r_mi_4_uncovered_years_lists_years_without_a_schedule():
    """R-MI-4."""
    assert workcal.uncovered_years([2025, 2026, 2027, 2100]) == [2027, 2100]
    assert workcal.uncovered_years([]) == []


# --- admin amendments win --------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_admin_amendment_beats_library_data():
    """R-MI-4."""
    amended = CalendarDay.objects.get(date=D(2026, 10, 7))
    amended.name, amended.source = "国庆节（本局核对）", CalendarSource.ADMIN
    amended.save()
    CalendarDay.objects.create(date=D(2026, 10, 8), is_workday=False, name="本局补休", source=CalendarSource.ADMIN)

    counts = workday_loader.sync_from_chinesecalendar([2026])

    assert counts["kept_admin"] == 1 and counts["removed"] == 0
    assert CalendarDay.objects.get(date=D(2026, 10, 7)).name == "国庆节（本局核对）"
    assert CalendarDay.objects.get(date=D(2026, 10, 8)).source == CalendarSource.ADMIN
    # 8 October now off: 9, Saturday 10 and Monday 12 are the three working days.
    assert workcal.add_workdays(D(2026, 9, 30), 3).date == D(2026, 10, 12)


@pytest.mark.django_db
def test_r_mi_4_sync_repairs_library_rows_and_drops_ones_the_package_no_longer_lists():
    """R-MI-4."""
    CalendarDay.objects.filter(date=D(2026, 10, 1)).update(name="改坏了")
    CalendarDay.objects.filter(date=D(2026, 10, 2)).delete()
    CalendarDay.objects.create(date=D(2026, 10, 9), is_workday=False, source=CalendarSource.CHINESECALENDAR)

    counts = workday_loader.sync_from_chinesecalendar([2026])

    assert (counts["updated"], counts["created"], counts["removed"]) == (1, 1, 1)
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.filter(date=D(2026, 10, 2)).exists()
    assert not CalendarDay.objects.filter(date=D(2026, 10, 9)).exists()


@pytest.mark.django_db
def test_r_mi_4_sync_leaves_a_year_the_admins_took_over_alone():
    """R-MI-4."""
    CalendarDay.objects.filter(date=D(2026, 10, 2)).delete()
    assert workday_loader.take_over_year(2026) is True
    assert workday_loader.take_over_year(2026) is False

    counts = workday_loader.sync_from_chinesecalendar()

    assert counts["admin_years"] == [2026] and 2026 not in counts["years"]
    assert not CalendarDay.objects.filter(date=D(2026, 10, 2)).exists()


@pytest.mark.django_db
def test_r_mi_4_sync_reports_years_the_package_does_not_know():
    """R-MI-4."""
    counts = workday_loader.sync_from_chinesecalendar([2027])
    assert counts["unsupported_years"] == [2027] and counts["years"] == []
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- manage.py workdays ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_command_adds_working_days_across_national_day():
    """R-MI-4."""
    out, err = _run("add", "2026-09-30", "3")
    assert out.strip() == "2026-09-30 + 3 个工作日 = 2026-10-10"
    assert err == ""


@pytest.mark.django_db
def test_r_mi_4_command_counts_backwards():
    """R-MI-4."""
    out, _err = _run("add", "2026-10-08", "-1")
    assert out.strip() == "2026-10-08 - 1 个工作日 = 2026-09-30"


@pytest.mark.django_db
def test_r_mi_4_command_warns_loudly_when_passing_an_unknown_year():
    """R-MI-4."""
    out, err = _run("add", "2026-12-30", "3")
    assert out.strip() == "2026-12-30 + 3 个工作日 = 2027-01-04"
    assert "警告" in err and "2027" in err and "周一至周五" in err


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (("add", "2026-13-01", "3"), "不是有效日期"),
    (("add", "昨天", "3"), "不是有效日期"),
    (("add", "2026-09-30", "三"), "不是整数"),
    (("add", "2026-09-30", "1.5"), "不是整数"),
    (("add", "9999-12-30", "5"), "超出了可表示的日期范围"),
    (("sync", "abc"), "年份须为整数"),
])
def test_r_mi_4_command_refuses_bad_input_in_chinese(args, message):
    """R-MI-4."""
    with pytest.raises(CommandError, match=message):
        _run(*args)


@pytest.mark.django_db
def test_r_mi_4_command_sync_prints_counts():
    """R-MI-4."""
    out, err = _run("sync")
    assert "已同步 2004–2026" in out and "新增 0 天" in out
    assert err == ""


@pytest.mark.django_db
def test_r_mi_4_command_status_shows_loaded_years_and_missing_next_year(today_2026):
    """R-MI-4."""
    out, err = _run("status")
    assert "已载入放假安排的年份：2004–2026" in out
    assert "今年（2026）的放假安排已载入" in out
    assert "明年（2027）的放假安排尚未载入" in err


# --- the system check ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_check_is_silent_when_this_years_schedule_is_loaded(today_2026):
    """R-MI-4."""
    assert current_year_calendar_loaded() == []
    assert not [m for m in run_checks() if m.id == "governance.W001"]


@pytest.mark.django_db
def test_r_mi_4_check_warns_when_this_years_schedule_is_missing(today_2026):
    """R-MI-4."""
    CalendarYear.objects.filter(year=2026).delete()
    [warning] = [m for m in run_checks() if m.id == "governance.W001"]
    assert warning.msg == "今年（2026）的放假安排尚未载入，工作日按周一至周五计算"
    assert "workdays sync" in warning.hint


@pytest.mark.django_db
def test_r_mi_4_check_says_nothing_before_migrate(today_2026, monkeypatch):
    """R-MI-4."""
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    assert current_year_calendar_loaded() == []


@pytest.mark.django_db
def test_r_mi_4_check_says_nothing_without_a_database(today_2026, monkeypatch):
    """R-MI-4."""
    from django.db import connection

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection.introspection, "table_names", unreachable)
    assert current_year_calendar_loaded() == []


# --- the admin ------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_mi_4_admin_changelist_warns_that_2027_is_not_loaded(admin_client_2026):
    """R-MI-4."""
    for name in ("calendarday", "calendaryear"):
        response = admin_client_2026.get(reverse(f"admin:governance_{name}_changelist"))
        assert response.status_code == 200
        messages = [str(m) for m in response.context["messages"]]
        assert messages == ["2027 年的放假安排尚未载入：该年的期限按周一至周五计算。国务院办公厅公布后请在此录入。"]


@pytest.mark.django_db
def test_r_mi_4_admin_changelist_is_quiet_once_2027_is_entered(admin_client_2026):
    """R-MI-4."""
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕×号")
    response = admin_client_2026.get(reverse("admin:governance_calendarday_changelist"))
    assert [str(m) for m in response.context["messages"]] == []


@pytest.mark.django_db
def test_r_mi_4_admin_lists_days_by_year_with_chinese_weekday(admin_client_2026):
    """R-MI-4."""
    response = admin_client_2026.get(reverse("admin:governance_calendarday_changelist"), {"year": "2026"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == CalendarDay.objects.filter(date__year=2026).count() == 25
    assert "星期六" in response.content.decode()  # 2026-02-14, a make-up Saturday
    response = admin_client_2026.get(reverse("admin:governance_calendaryear_changelist"))
    year_2026 = next(row for row in response.context["cl"].result_list if row.year == 2026)
    assert year_2026._day_count == 25


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "is_workday", "message"), [
    ("2026-11-23", True, "2026-11-23 是星期一，本来就是工作日，无需录入"),
    ("2026-11-21", False, "2026-11-21 是星期六，本来就休息，无需录入"),
])
def test_r_mi_4_admin_refuses_a_day_that_is_no_exception(admin_client_2026, day, is_workday, message):
    """R-MI-4."""
    data = {"date": day, "name": "多余", "change_reason": "录入"}
    if is_workday:
        data["is_workday"] = "on"
    response = admin_client_2026.post(reverse("admin:governance_calendarday_add"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.non_field_errors())
    assert not CalendarDay.objects.filter(date=day).exists()


@pytest.mark.django_db
def test_r_mi_4_admin_entry_is_marked_as_the_admins_and_survives_sync(admin_client_2026):
    """R-MI-4."""
    response = admin_client_2026.post(reverse("admin:governance_calendarday_add"),
                                      {"date": "2026-12-31", "name": "本局安排", "change_reason": "本局安排"})
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=D(2026, 12, 31))
    assert (row.is_workday, row.source) == (False, CalendarSource.ADMIN)
    assert row.history.first().history_user.username == "calendar-admin"
    workday_loader.sync_from_chinesecalendar([2026])
    assert CalendarDay.objects.filter(date=D(2026, 12, 31), source=CalendarSource.ADMIN).exists()


@pytest.mark.django_db
def test_r_mi_4_admin_edit_of_a_library_day_becomes_the_admins(admin_client_2026):
    """R-MI-4."""
    row = CalendarDay.objects.get(date=D(2026, 10, 7))
    response = admin_client_2026.post(reverse("admin:governance_calendarday_change", args=[row.pk]),
                                      {"date": "2026-10-07", "name": "国庆节（核对）", "change_reason": "核对"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name, row.source) == ("国庆节（核对）", CalendarSource.ADMIN)


@pytest.mark.django_db
def test_r_mi_4_admin_deleting_a_library_day_hands_the_year_to_the_admins(admin_client_2026):
    """R-MI-4."""
    row = CalendarDay.objects.get(date=D(2026, 10, 2))
    response = admin_client_2026.post(reverse("admin:governance_calendarday_delete", args=[row.pk]),
                                      {"post": "yes", "change_reason": "本局不放假"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.ADMIN
    workday_loader.sync_from_chinesecalendar()
    assert not CalendarDay.objects.filter(date=D(2026, 10, 2)).exists()  # not restored by the sync

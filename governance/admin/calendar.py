"""The admin for the official calendar (R-MI-4): admins amend holidays and make-up workdays here.

Every admin edit is marked source="admin" so that `workdays sync` never overwrites it; deleting a
library day hands its year over to the admins for the same reason (see `calendar.take_over_year`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.admin.base import ReasonedChangeAdmin
from governance.models import CalendarDay, CalendarSource, CalendarYear
from governance.selectors.workdays import uncovered_years
from governance.services.workdays import take_over_year

WEEKDAY_NAMES = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))


class MissingYearWarningMixin:
    """Warn on the changelist when this year's or next year's schedule is not loaded (R-MI-4)."""

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Only on GET: an action POST redirects back here, and the warning would then show twice.
        if request.method == "GET":
            this_year = timezone.localdate().year
            for year in uncovered_years([this_year, this_year + 1]):
                messages.warning(request, gettext(
                    "%(year)s 年的放假安排尚未载入：该年的期限按周一至周五计算。国务院办公厅公布后请在此录入。"
                ) % {"year": year})
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


@admin.register(CalendarYear)
class CalendarYearAdmin(MissingYearWarningMixin, ReasonedChangeAdmin):
    list_display = ("year", "source", "note", "day_count")
    list_filter = ("source",)
    search_fields = ("note",)
    readonly_fields = ("source",)
    fields = ("year", "note", "source")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The days have no key to their year, so count them with a subquery instead of a query per row.
        days = (CalendarDay.objects.filter(date__year=OuterRef("year")).order_by()
                .values("date__year").annotate(n=Count("pk")).values("n"))
        return super().get_queryset(request).annotate(
            _day_count=Coalesce(Subquery(days, output_field=IntegerField()), 0))

    @admin.display(description=_("节假日与调休天数"), ordering="_day_count")
    def day_count(self, obj: CalendarYear) -> int:
        return obj._day_count

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: forms.ModelForm, change: bool) -> None:
        # A year an admin entered or edited is the admins' from now on: `workdays sync` leaves it alone.
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)


class CalendarYearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), gettext("%(year)s 年") % {"year": d.year}) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            year = int(value)
            return queryset.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
        return queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "is_workday", "name")

    def clean(self) -> dict[str, Any]:
        """R-MI-4: only exceptions to Monday-Friday are stored; refuse a day that changes nothing."""
        cleaned = super().clean()
        day: datetime.date | None = cleaned.get("date")
        if day is None:
            return cleaned
        is_workday = bool(cleaned.get("is_workday"))
        weekday = WEEKDAY_NAMES[day.weekday()]
        if day.weekday() < 5 and is_workday:
            raise forms.ValidationError(gettext(
                "%(date)s 是%(weekday)s，本来就是工作日，无需录入。这里只录入与周一至周五不同的日子："
                "工作日放假（不勾选“工作日”），或周末调休上班（勾选“工作日”）。"
            ) % {"date": day, "weekday": weekday}, code="redundant")
        if day.weekday() >= 5 and not is_workday:
            raise forms.ValidationError(gettext(
                "%(date)s 是%(weekday)s，本来就休息，无需录入。这里只录入与周一至周五不同的日子："
                "工作日放假（不勾选“工作日”），或周末调休上班（勾选“工作日”）。"
            ) % {"date": day, "weekday": weekday}, code="redundant")
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(MissingYearWarningMixin, ReasonedChangeAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "is_workday", "name", "source")
    list_filter = ("is_workday", "source", CalendarYearFilter)
    search_fields = ("name",)
    date_hierarchy = "date"
    readonly_fields = ("weekday", "source")
    fields = ("date", "weekday", "is_workday", "name", "source")

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAY_NAMES[obj.date.weekday()]) if obj.date else "—"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: forms.ModelForm, change: bool) -> None:
        # Marked as the admins' so that `workdays sync` never overwrites the amendment.
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        self._hand_over_years(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One by one, not a bulk delete: simple-history records only deletions that go through delete().
        rows = list(queryset)
        self._hand_over_years(request, rows)
        for row in rows:
            row.delete()

    def _hand_over_years(self, request: HttpRequest, rows: list[CalendarDay]) -> None:
        # A deleted library day leaves no admin row behind, so the next sync would restore it unless
        # the whole year becomes the admins'.
        years = sorted({row.date.year for row in rows if row.source == CalendarSource.CHINESECALENDAR})
        for year in years:
            if take_over_year(year):
                messages.info(request, gettext(
                    "%(year)s 年已改为管理员维护：今后运行 workdays sync 不再改动该年的节假日与调休。"
                ) % {"year": year})

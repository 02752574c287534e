"""The audit screen's search form."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category, Outcome
from .selectors import EventFilter, object_types

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _moment(text: str, *, end: bool) -> datetime.datetime | None:
    """A date (the whole day: from its start, or up to the next day's start) or a local date and time."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        moment = datetime.datetime.combine(day + datetime.timedelta(days=1) if end else day, datetime.time())
        return timezone.make_aware(moment)
    for fmt in DATETIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment + (datetime.timedelta(minutes=1) if end and moment.second == 0 else
                                             datetime.timedelta()))
    raise forms.ValidationError(_("请输入日期（如 2026-03-01）或日期时间（如 2026-03-01 08:30）。"))


class EventSearchForm(forms.Form):
    start = forms.CharField(label=_("自"), required=False, max_length=20)
    end = forms.CharField(label=_("至"), required=False, max_length=20)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    category = forms.ChoiceField(label=_("类别"), required=False)
    outcome = forms.ChoiceField(label=_("结果"), required=False)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    address = forms.CharField(label=_("地址"), required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类别")), *Category.choices]
        self.fields["outcome"].choices = [("", _("全部结果")), *Outcome.choices]
        self.fields["object_type"].choices = [("", _("全部对象")), *object_types()]

    def clean_start(self):
        return _moment(self.cleaned_data["start"], end=False)

    def clean_end(self):
        return _moment(self.cleaned_data["end"], end=True)

    def filter(self) -> EventFilter:
        """The search the form asks for (call after is_valid(); an invalid form filters by nothing
        that failed)."""
        d = getattr(self, "cleaned_data", {})
        return EventFilter(start=d.get("start"), end=d.get("end"), actor=(d.get("actor") or "").strip(),
                           category=d.get("category") or "", outcome=d.get("outcome") or "",
                           object_type=d.get("object_type") or "", object_id=(d.get("object_id") or "").strip(),
                           address=(d.get("address") or "").strip())

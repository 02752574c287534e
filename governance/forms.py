"""Forms of the meeting screens, and the parsers of every id, number and date a query string or form
brings. They parse and check shape; the services decide what is allowed.

Control characters are already gone (meetings_site.middleware.CleanInputMiddleware); what is left to
check here is that an id is a row id, a date a date this system can hold and compute around (no year 1
or 9999, whose neighbouring days do not exist), a month a month."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MandatoryMatter, MeetingType, Topic, TopicCategory, TopicStatus, Unit, VoteChoice
from .permissions import admin_accounts
from .selectors.confidential import readable_topics
from .selectors.org import people_of

User = get_user_model()

MAX_ID = 2**63 - 1  # the largest BigAutoField value
EARLIEST = datetime.date(1900, 1, 1)  # dates outside these are refused: no meeting is held there, and a
LATEST = datetime.date(2100, 12, 31)  # calendar around year 1 or 9999 runs off the end of Python's dates
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_id(value) -> int | None:
    """A row id from a query string or form (ASCII digits, 1 to 2**63-1), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_int(value, *, low: int, high: int) -> int | None:
    """A whole number in [low, high] written in ASCII digits (an optional minus sign), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def parse_date(value) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD) between 1900 and 2100, or None."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def parse_month(value) -> datetime.date | None:
    """A month written YYYY-MM (or YYYY-M) between 1900 and 2100, as its first day, or None."""
    match = _MONTH.fullmatch(value.strip()) if isinstance(value, str) and value.isascii() else None
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    first = datetime.date(int(match[1]), int(match[2]), 1)
    return first if EARLIEST <= first <= LATEST else None


class LoginForm(AuthenticationForm):
    """Django's login form, with the length of the user name checked before anything is asked to
    authenticate it (Django only sets the widget's maxlength; a 10k-character name reached the lockout
    records, whose column PostgreSQL refused)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class DateTimeInRangeField(forms.DateTimeField):
    """A date and time between 1900 and 2100 (beyond them a time zone can push it off the calendar)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not EARLIEST <= value.date() <= LATEST:
            raise forms.ValidationError(_("请填写 1900 年至 2100 年之间的日期。"), code="out_of_range")
        return value


class IdsField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id that is not one (letters, a number no row can have) is refused as an
    invalid choice before the database is asked (SQLite cannot even compare a number that large)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": pk})
        return super()._check_values(value)


class PersonChoiceField(IdsField):
    def label_from_instance(self, obj):
        person = getattr(obj, "person", None)
        return person.name if person else obj.get_username()


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        person = getattr(obj, "person", None)
        return person.name if person else obj.get_username()


class ScheduleForm(forms.Form):
    meeting_type = forms.ModelChoiceField(label=_("会议类型"), queryset=MeetingType.objects.none())
    unit = forms.ModelChoiceField(label=_("处室/单位"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("按处室召开的会议（处务会、处室工作会议）须选择。"))
    title = forms.CharField(label=_("会议名称"), max_length=200, required=False,
                            help_text=_("留空则按会议类型自动命名。"))
    starts_at = DateTimeInRangeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                                        format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("地点"), max_length=200)
    recorder = PersonField(label=_("记录人"), queryset=User.objects.none(), required=False,
                           help_text=_("留空：办公室会议由排会人（或办公室第一位工作人员）记录；处室会议由排会人记录。"))
    delegate_chair = PersonField(label=_("受委托主持人"), queryset=User.objects.none(), required=False,
                                 help_text=_("仅可委托主持的会议类型适用。"))
    invitees = PersonChoiceField(label=_("列席人员"), queryset=User.objects.none(), required=False,
                                 widget=forms.SelectMultiple(attrs={"size": 6}))
    invitee_units = IdsField(label=_("列席处室（负责人）"), queryset=Unit.objects.none(),
                             required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    called_by = forms.ModelChoiceField(label=_("决定召开本会的议题"), queryset=Topic.objects.none(), required=False,
                                       help_text=_("须由会议决定召开的会议（如全体干部职工会议），选择可决定召开的会议（如局党组会议、局长办公会议）通过的决定。"))

    def __init__(self, *args, bureau, types, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The three administrators' accounts are nobody's to invite (三员分立).
        people = (people_of(bureau=bureau).exclude(pk__in=admin_accounts())
                  .select_related("person").order_by("person__name"))
        self.fields["meeting_type"].queryset = types
        self.fields["unit"].queryset = Unit.objects.filter(bureau=bureau, active=True)
        for name in ("recorder", "delegate_chair", "invitees"):
            self.fields[name].queryset = people
        self.fields["invitee_units"].queryset = Unit.objects.filter(bureau=bureau, active=True)
        self.fields["called_by"].queryset = readable_topics(user).filter(
            meeting__bureau=bureau, meeting__meeting_type__may_call_by_decision=True,
            status=TopicStatus.PASSED, decided_at__gte=timezone.now() - datetime.timedelta(days=400),
        ).select_related("meeting").order_by("-decided_at")  # the last year or so: a select a page long
        self.fields["called_by"].label_from_instance = lambda t: f"{t.meeting.title} · {t.title}"


class TopicForm(forms.Form):
    category = forms.ModelChoiceField(label=_("议题类别"), queryset=TopicCategory.objects.none())
    title = forms.CharField(label=_("议题"), max_length=200)
    summary = forms.CharField(label=_("内容摘要"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    important = forms.BooleanField(label=_("重要议题（须附书面材料）"), required=False)
    for_information = forms.BooleanField(label=_("仅通报，不表决"), required=False)
    material = forms.FileField(label=_("书面材料"), required=False)
    concerned_unit = forms.ModelChoiceField(label=_("涉及处室（R-AG-6）"), queryset=Unit.objects.none(), required=False)
    unit_matter = forms.ChoiceField(label=_("须经处务会研究的事项"), required=False,
                                    choices=[("", "—"), *MandatoryMatter.choices])
    unit_decision = forms.ModelChoiceField(label=_("该处室处务会已作的决定"), queryset=Topic.objects.none(), required=False)

    def __init__(self, *args, meeting_type, user, units=None, **kwargs):
        """`units`: the bureau's active units when the page has them loaded (the select shows them
        without asking again; what is posted is still checked against the database)."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = meeting_type.categories.all()
        bureau = meeting_type.bureau_id
        self.fields["concerned_unit"].queryset = Unit.objects.filter(bureau_id=bureau, active=True)
        if units is not None:
            field = self.fields["concerned_unit"]
            field.choices = [("", field.empty_label), *((u.pk, field.label_from_instance(u)) for u in units)]
        # A division's decision of the last year or so: the select stays a page long at any size.
        since = timezone.now() - datetime.timedelta(days=400)
        self.fields["unit_decision"].queryset = readable_topics(user).filter(
            meeting__bureau_id=bureau, status=TopicStatus.PASSED, meeting__unit__isnull=False,
            meeting__starts_at__gte=since).order_by("-meeting__starts_at").exclude(
            meeting__meeting_type__mandatory_matters=[]).select_related("meeting")
        self.fields["unit_decision"].label_from_instance = lambda t: f"{t.meeting.title} · {t.title}"


class MaterialForm(forms.Form):
    material = forms.FileField(label=_("书面材料"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PostponeForm(ReasonForm):
    starts_at = DateTimeInRangeField(label=_("新的开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class VoteForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(label=_("表决意见"), choices=VoteChoice.choices)


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("决定事项"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dissent = forms.CharField(label=_("不同意见（如实完整记录）"), max_length=20000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class BriefingForm(forms.Form):
    method = forms.CharField(label=_("传达方式"), max_length=100, help_text=_("如：当面传达、电话、书面"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class GrantForm(forms.Form):
    """The security screen's forms parse ids and a reason; the role service decides (三员分立)."""

    reason = forms.CharField(label=_("理由"), max_length=500, required=False)
    person = forms.IntegerField(required=False)
    role = forms.CharField(max_length=10, required=False)
    topic = forms.IntegerField(required=False)
    meeting_type = forms.IntegerField(required=False)
    city = forms.IntegerField(required=False)


class OTPCodeForm(forms.Form):
    """The six digits of a TOTP code (身份鉴别: the second factor)."""

    code = forms.RegexField(label=_("动态口令"), regex=r"^\s*\d{6}\s*$", max_length=8,
                            error_messages={"invalid": _("请输入6位数字动态口令。")},
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))

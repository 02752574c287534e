"""Follow-up screens: actions from decisions and rectification measures, progress reports, the
democratic life meeting's preparations (R-FU-1..7)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.rules.refusals import TransitionRefused
from governance.selectors import followup as followup_selectors
from governance.selectors import org
from governance.services import followup

from ..forms import PersonField, parse_date, parse_id, parse_month
from ..models import ActionKind, ActionStatus, Meeting, PreparationKind, Topic, Unit
from ..permissions import MEETING_PERMS, access_action, access_meeting, granted, may_action, visible_actions
from ..selectors.confidential import Reader
from ..selectors.periods import month_range
from .pages import paginate

User = get_user_model()


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("督办事项"), max_length=300)
    problem = forms.CharField(label=gettext_lazy("存在的问题"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonField(label=gettext_lazy("责任人"), queryset=User.objects.none(), required=False)
    owner_unit = forms.ModelChoiceField(label=gettext_lazy("责任处室"), queryset=Unit.objects.none(), required=False)
    leader = PersonField(label=gettext_lazy("分管局领导"), queryset=User.objects.none(), required=False)
    due_workdays = forms.IntegerField(label=gettext_lazy("完成期限（工作日）"), min_value=1, max_value=750, initial=10)

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        people = org.people_of(bureau=bureau).select_related("person").order_by("person__name")
        self.fields["owner"].queryset = people
        self.fields["leader"].queryset = people
        self.fields["owner_unit"].queryset = Unit.objects.filter(bureau=bureau, active=True)


@login_required
def action_list(request):
    """Actions I may see: mine, my unit's, the ones I coordinate or supervise."""
    today = timezone.localdate()
    qs = (visible_actions(request.user).select_related("owner__person", "owner_unit", "meeting", "topic__category")
          .order_by("due", "pk"))
    state = request.GET.get("state", "")
    if state == "overdue":
        qs = qs.exclude(status=ActionStatus.DONE).filter(due__lt=today)
    elif state in ActionStatus.values:
        qs = qs.filter(status=state)
    if request.GET.get("unit"):
        qs = qs.filter(owner_unit__code=request.GET["unit"])
    if (month := parse_month(request.GET.get("month"))) is not None:
        first, last = month_range(month.year, month.month)
        qs = qs.filter(due__gte=first, due__lte=last)
    page = paginate(request, qs, 30)
    reader = Reader(request.user)
    rows = [(a, reader.action_title(a), followup_selectors.is_overdue(a, today)) for a in page]
    # R-FU-1, R-FU-3: decisions passed at meetings I run that were never assigned.
    unassigned = [(t, reader.title(t)) for t in followup_selectors.unassigned_decisions(
        granted(request.user, MEETING_PERMS["manage"], Meeting.objects.all()))[:50]]
    return render(request, "governance/action_list.html", {"page": page, "rows": rows, "state": state,
                                                            "states": ActionStatus.choices,
                                                            "unassigned": unassigned})


@login_required
def action_detail(request, pk: int):
    action = access_action(request.user, pk)
    reader = Reader(request.user)
    readable = reader.may_read_action(action)
    return render(request, "governance/action_detail.html", {
        "a": action, "title": reader.action_title(action), "readable": readable,
        "reports": action.reports.select_related("author__person") if readable else [],
        "overdue": followup_selectors.is_overdue(action, timezone.localdate()),
        "can_report": may_action(request.user, action, "change"),
        "can_verify": may_action(request.user, action, "verify")})


@login_required
def action_new(request, meeting_pk: int):
    """Turn a passed decision (or, after the democratic life meeting, a problem) into an action."""
    meeting = access_meeting(request.user, meeting_pk, "manage")
    topic = None
    topic_id = request.POST.get("topic") or request.GET.get("topic")
    if topic_id:
        topic = get_object_or_404(Topic.objects.select_related("category", "meeting"), pk=parse_id(topic_id) or 0,
                                  meeting=meeting)
        if not Reader(request.user).may_read(topic):
            raise Http404("no such topic")  # R-CO-1: an action is made from a decision its maker may read
    kind = ActionKind.DECISION if topic else ActionKind.RECTIFICATION
    form = ActionForm(request.POST or None, bureau=meeting.bureau,
                      initial={"title": topic.decision[:300] if topic else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            action = followup.create_action(actor=request.user, meeting=meeting, topic=topic, kind=kind,
                                            title=d["title"], problem=d["problem"], owner=d["owner"],
                                            owner_unit=d["owner_unit"], leader=d["leader"],
                                            due_workdays=d["due_workdays"])
            messages.success(request, _("已交办。"))
            return redirect("action_detail", pk=action.pk)
        except TransitionRefused as error:
            form.add_error(None, str(error))
    return render(request, "governance/action_new.html", {"form": form, "m": meeting, "topic": topic, "kind": kind})


@login_required
@require_POST
def action_report(request, pk: int):
    action = access_action(request.user, pk)
    try:
        followup.report_progress(actor=request.user, action=action, text=request.POST.get("text", ""))
        messages.success(request, _("已报告进展。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect("action_detail", pk=action.pk)


@login_required
@require_POST
def action_complete(request, pk: int):
    action = access_action(request.user, pk)
    try:
        followup.complete_action(actor=request.user, action=action, note=request.POST.get("text", ""))
        messages.success(request, _("已核实办结。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect("action_detail", pk=action.pk)


@login_required
@require_POST
def preparation_new(request, meeting_pk: int):
    """R-FU-5, R-FU-7: file a self-analysis and outline, a talk, opinions, or a cell meeting."""
    meeting = access_meeting(request.user, meeting_pk)
    held_on = request.POST.get("held_on") or None
    try:
        if held_on and parse_date(held_on) is None:
            raise TransitionRefused(_("日期格式不正确。"))
        followup.file_preparation(
            actor=request.user, meeting=meeting, kind=request.POST.get("kind", ""), text=request.POST.get("text", ""),
            outline=request.POST.get("outline", ""), other=request.POST.get("other", ""),
            held_on=parse_date(held_on) if held_on else None)
        messages.success(request, _("已登记。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#preparations")


PREPARATION_KINDS = PreparationKind.choices


@login_required
@require_POST
def outcome_report(request, meeting_pk: int):
    """R-FU-9: the General Office reports the democratic life meeting's outcome to the bureau."""
    meeting = access_meeting(request.user, meeting_pk, "manage")
    try:
        followup.report_outcome(actor=request.user, meeting=meeting, text=request.POST.get("text", ""))
        messages.success(request, _("会后情况已通报全局干部职工。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#preparations")


@login_required
@require_POST
def file_close(request, meeting_pk: int):
    """R-FU-9: close the democratic life meeting's file once it is complete."""
    meeting = access_meeting(request.user, meeting_pk, "manage")
    try:
        followup.close_file(actor=request.user, meeting=meeting)
        messages.success(request, _("会议档案已办结。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#preparations")


@login_required
def meeting_record(request, meeting_pk: int):
    """R-MI-8: the meeting record, topic by topic; the recorder adds entries while it is open."""
    from governance.selectors import record as record_reads
    from governance.services import record as record_service

    meeting, sections = record_reads.record_for(request.user, meeting_pk)
    keeping = record_reads.may_keep_record(request.user, meeting)
    if request.method == "POST":
        if not keeping:
            raise Http404("record closed")
        topic_pk = parse_id(request.POST.get("topic"))
        topic = meeting.topics.filter(pk=topic_pk).first() if topic_pk else None
        speaker_pk = parse_id(request.POST.get("speaker"))
        speaker = User.objects.filter(pk=speaker_pk).first() if speaker_pk else None
        try:
            if request.POST.get("topic") and topic is None:
                raise TransitionRefused(_("这个议题不属于本次会议。"))
            if request.POST.get("speaker") and speaker is None:
                raise TransitionRefused(_("发言人须是本次会议的参会人员。"))
            record_service.add_entry(actor=request.user, meeting=meeting, topic=topic, speaker=speaker,
                                     text=request.POST.get("text", ""))
            messages.success(request, _("已记录。"))
        except TransitionRefused as error:
            messages.error(request, str(error))
        anchor = f"#record-{topic.pk}" if topic else "#record-general"
        return redirect(reverse("meeting_record", args=[meeting.pk]) + anchor)
    speakers = [p.person for p in meeting.participants.select_related("person__person").order_by("role", "pk")]
    if meeting.chair_id and all(s.pk != meeting.chair_id for s in speakers):
        speakers.insert(0, meeting.chair)
    from audit.services import record_confidential_read

    record_confidential_read(actor=request.user, obj=meeting, label=meeting.title, action="record", request=request,
                             topic_ids=[t.pk for t, entries in sections if t is not None and entries is not None
                                        and t.category.confidential])
    return render(request, "governance/meeting_record.html", {
        "m": meeting, "sections": sections, "keeping": keeping, "speakers": speakers})


@login_required
@require_POST
def consultation_new(request, pk: int):
    """R-VO-5: record a member's opinion on a deferred topic (posted from the carried topic)."""
    from ..permissions import access_topic

    topic = access_topic(request.user, pk)
    original = topic.carried_from or topic
    member_pk = parse_id(request.POST.get("member"))
    member = User.objects.filter(pk=member_pk).first() if member_pk else request.user
    try:
        if member is None:
            raise TransitionRefused(_("只征求原会议成员的意见。"))
        followup.record_consultation(actor=request.user, topic=original, member=member,
                                     opinion=request.POST.get("opinion", ""))
        messages.success(request, _("已登记意见。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[topic.meeting_id]) + f"#topic-{topic.pk}")


@login_required
@require_POST
def topic_escalate(request, pk: int):
    """R-AG-10: submit a matter this meeting decided to the party group."""
    from governance.services import escalation

    from ..permissions import access_topic

    topic = access_topic(request.user, pk, "manage")
    try:
        escalation.escalate_topic(actor=request.user, topic=topic)
        messages.success(request, _("已报请研究决定，将列入下次会议议程。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[topic.meeting_id]) + f"#topic-{topic.pk}")


@login_required
@require_POST
def unit_opinion_new(request, pk: int):
    """R-AG-9: record a unit consulted on an important topic, with its opinion."""
    from ..permissions import access_topic

    topic = access_topic(request.user, pk)
    unit_pk = parse_id(request.POST.get("unit"))
    unit = Unit.objects.filter(pk=unit_pk).first() if unit_pk else None
    try:
        if unit is None:
            raise TransitionRefused(_("征求意见的处室须是本局处室。"))
        followup.record_unit_opinion(actor=request.user, topic=topic, unit=unit, opinion=request.POST.get("opinion", ""))
        messages.success(request, _("已登记处室意见。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[topic.meeting_id]) + f"#topic-{topic.pk}")

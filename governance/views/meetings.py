"""Meeting screens: list, schedule, the meeting page and every action on it (docs/architecture.md, Workflows and Who does what)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_confidential_read
from governance.rules.refusals import TransitionRefused
from governance.selectors import meetings as meeting_selectors
from governance.selectors import org, roles
from governance.selectors.due_dates import notice_late
from governance.services import agenda, attendance, scheduling, voting

from ..forms import (
    BriefingForm,
    DecisionForm,
    MaterialForm,
    PostponeForm,
    ReasonForm,
    ScheduleForm,
    TopicForm,
    VoteForm,
    parse_date,
    parse_id,
)
from ..models import (
    Briefing,
    LeaveRequest,
    MandatoryMatter,
    MeetingStatus,
    MeetingType,
    Notification,
    Scope,
    Unit,
)
from ..permissions import access_meeting, access_meeting_to_propose, access_topic
from ..services import materials as material_services
from .bureau import current_bureau
from .limits import limited
from .pages import paginate
from .rules import meeting_type_detail, meeting_type_list  # noqa: F401  (re-exported for urls)

User = get_user_model()


def _refused(request, error: TransitionRefused) -> None:
    messages.error(request, str(error))


def _back(meeting, anchor: str = ""):
    response = redirect("meeting_detail", pk=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def home(request):
    """The start page: my posts, my next meetings, what waits for me."""
    today = timezone.localdate()
    return render(request, "governance/home.html", {
        "posts": org.posts_of(user=request.user, on=today),
        "bureau": current_bureau(request),
        "today": today,
        "upcoming": list(meeting_selectors.meeting_list(request.user, upcoming=True)[:8]),
        "queue": list(meeting_selectors.approval_queue(request.user)),
        "leaves": meeting_selectors.pending_leaves_for(request.user),
    })


@login_required
def meeting_list(request):
    """Meetings I may see, filtered by status and type."""
    status = request.GET.get("status", "")
    type_code = request.GET.get("type", "")
    qs = meeting_selectors.meeting_list(request.user, status=status, type_code=type_code,
                                         unit=request.GET.get("unit", ""), start=parse_date(request.GET.get("start")),
                                         end=parse_date(request.GET.get("end")))
    page = paginate(request, qs, 25)
    page.object_list = meeting_selectors.with_topic_counts(page.object_list)
    bureau = current_bureau(request)
    types = MeetingType.objects.filter(bureau=bureau, active=True) if bureau else MeetingType.objects.none()
    return render(request, "governance/meeting_list.html", {
        "page": page, "status": status, "type_code": type_code, "statuses": MeetingStatus.choices, "types": types})


@login_required
def approval_queue(request):
    """Agendas waiting for my approval: the leader's queue, often opened on a phone."""
    return render(request, "governance/approval_queue.html", {
        "queue": meeting_selectors.approval_queue(request.user),
        "leaves": meeting_selectors.pending_leaves_for(request.user)})


def _schedulable_types(user, bureau):
    today = timezone.localdate()
    types = MeetingType.objects.filter(bureau=bureau, active=True).order_by("order")
    allowed = [t.pk for t in types if (t.scope == Scope.BUREAU and roles.may_schedule(user, t, None, today))
               or (t.scope == Scope.UNIT and roles.schedulable_units(user, t))]
    return MeetingType.objects.filter(pk__in=allowed).order_by("order")


@login_required
def meeting_new(request):
    """Schedule a meeting (General Office for bureau meetings, division heads for DA/UW)."""
    bureau = current_bureau(request)
    if bureau is None:
        raise Http404("no bureau")
    types = _schedulable_types(request.user, bureau)
    if not types.exists():
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, bureau=bureau, types=types, user=request.user,
                        initial={"meeting_type": request.GET.get("type"), "called_by": request.GET.get("called_by")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = scheduling.schedule_meeting(
                actor=request.user, meeting_type=d["meeting_type"], unit=d["unit"], starts_at=d["starts_at"],
                place=d["place"], title=d["title"], recorder=d["recorder"], delegate_chair=d["delegate_chair"],
                invitees=d["invitees"], invitee_units=d["invitee_units"], called_by=d["called_by"])
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("会议已安排，现在可以征集议题。"))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "governance/meeting_new.html", {"form": form, "types": types})


def _linked_visible(user, page) -> set[int]:
    """R-AG-10: of the meetings a topic links to (where it was submitted from, where it went), those
    this person may open: the others are named without a link (no link that leads to a 404)."""
    from ..permissions import visible_meetings

    linked = {row.topic.escalated_from.meeting_id for row in page.topics if row.topic.escalated_from_id}
    linked |= {e.meeting_id for row in page.topics if row.topic.escalation_requested_at
               for e in row.topic.escalated_to.all()}
    return set(visible_meetings(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()


@login_required
def meeting_detail(request, pk: int):
    """The meeting page: people, quorum, agenda, votes and decisions, each action by permission."""
    meeting = access_meeting(request.user, pk)
    prefetch_related_objects([meeting.meeting_type], "rule_sources")  # every clause the page cites, one query
    page = meeting_selectors.meeting_page(request.user, meeting)
    from governance.selectors.record import may_read_record

    manages = bool(page.perms & {"manage_meeting", "approve_agenda"})
    units = (list(Unit.objects.filter(bureau=meeting.bureau, active=True).order_by("order", "name"))
             if manages or meeting.meeting_type.consult_units_on_important else [])
    context = {"p": page, "m": meeting, "t": meeting.meeting_type, "reason_form": ReasonForm(),
               "record_readable": may_read_record(request.user, meeting, perms=page.perms, members=page.members),
               "linked_visible": _linked_visible(request.user, page),
               "units": units if meeting.meeting_type.consult_units_on_important else [],
               "postpone_form": PostponeForm(), "decision_form": DecisionForm(), "briefing_form": BriefingForm(),
               "material_form": MaterialForm(), "quorum_clause": meeting.meeting_type.clause_for("quorum"),
               "special_clause": meeting.meeting_type.clause_for("special_quorum"),
               "vote_clause": meeting.meeting_type.clause_for("vote"),
               "notice_clause": meeting.meeting_type.clause_for("notice"),
               "leave_clause": meeting.meeting_type.clause_for("leave")}
    if manages:  # marking a division's matter (R-AG-6)
        context["matter_choices"] = MandatoryMatter.choices
        context["matter_units"] = units
    if "propose_topic" in page.perms and meeting.status == MeetingStatus.AGENDA_OPEN:
        context["topic_form"] = TopicForm(meeting_type=meeting.meeting_type, user=request.user,
                                          units=units if manages else None)
    if meeting.status in {MeetingStatus.HELD, MeetingStatus.CLOSED} and meeting.meeting_type.may_call_by_decision:
        context["calling_types"] = list(MeetingType.objects.filter(bureau=meeting.bureau, active=True,
                                                                   called_by_decision=True))
        readable = {row.topic.pk for row in page.topics if row.readable}
        context["actions"] = [(a, a.title if not a.topic_id or a.topic_id in readable else _("（保密事项）"))
                              for a in meeting.actions.select_related("owner__person", "owner_unit")]
    if meeting.meeting_type.pre_meeting_filings:
        from governance.selectors import followup as dl_file

        from ..models import PreparationKind

        context["preparations"] = list(meeting.preparations.select_related("member__person"))
        context["missing_before_start"] = [(PreparationKind(k).label, people) for k, people in
                                           dl_file.missing_before_start(meeting).items()] if meeting.is_open else []
        context["preparation_kinds"] = [c for c in PreparationKind.choices if c[0] != PreparationKind.OUTCOME]
        if meeting.meeting_type.cell_meeting_required:
            context["cell_meetings"] = dl_file.cell_meetings(meeting)
        if meeting.status == MeetingStatus.CLOSED:
            context["file_checklist"] = dl_file.file_checklist(meeting)
    if request.htmx and request.GET.get("part") == "attendance":
        return render(request, "governance/_partials/attendance.html", context)
    record_confidential_read(actor=request.user, obj=meeting, label=meeting.title, request=request,
                             topic_ids=[row.topic.pk for row in page.topics if row.readable and row.topic.category.confidential])
    return render(request, "governance/meeting_detail.html", context)


MEETING_ACTIONS = {
    "submit": ("manage", lambda r, m, f: agenda.submit_agenda(actor=r.user, meeting=m), _("议程已提交审定。")),
    "approve": ("approve", lambda r, m, f: agenda.approve_agenda(actor=r.user, meeting=m), _("议程已审定。")),
    "return": ("approve", lambda r, m, f: agenda.return_agenda(actor=r.user, meeting=m, reason=f["reason"]),
               _("议程已退回。")),
    "reject": ("approve", lambda r, m, f: scheduling.cancel_meeting(actor=r.user, meeting=m, reason=f["reason"]),
               _("议程未获同意，会议已取消。")),
    "notice": ("manage", lambda r, m, f: agenda.send_notice(actor=r.user, meeting=m), _("会议通知已发出。")),
    "start": ("manage", lambda r, m, f: attendance.start_meeting(actor=r.user, meeting=m), _("会议开始。")),
    "close": ("manage", lambda r, m, f: attendance.close_meeting(actor=r.user, meeting=m), _("会议已结束。")),
    "cancel": ("manage", lambda r, m, f: scheduling.cancel_meeting(actor=r.user, meeting=m, reason=f["reason"]),
               _("会议已取消。")),
}


@login_required
@require_POST
def meeting_action(request, pk: int, action: str):
    """One transition of the meeting, refused with its reason when a rule forbids it."""
    if action == "postpone":
        meeting = access_meeting(request.user, pk, "manage")
        form = PostponeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写新的开始时间。"))
            return _back(meeting)
        try:
            scheduling.postpone_meeting(actor=request.user, meeting=meeting, starts_at=form.cleaned_data["starts_at"],
                                      reason=form.cleaned_data["reason"])
            messages.success(request, _("会议已延期。"))
        except TransitionRefused as error:
            _refused(request, error)
        return _back(meeting)
    if action not in MEETING_ACTIONS:
        raise Http404("no such action")
    perm, run, done = MEETING_ACTIONS[action]
    meeting = access_meeting(request.user, pk, perm)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        run(request, meeting, {"reason": form.cleaned_data.get("reason", "")})
        messages.success(request, done)
        if action == "notice":
            meeting.refresh_from_db()
            if notice_late(meeting):
                clause = meeting.meeting_type.clause_for("notice")
                messages.warning(request, _("注意：通知晚于规定的提前 %(n)s 个工作日（%(c)s）。") % {
                    "n": meeting.meeting_type.notice_lead_workdays, "c": clause.citation if clause else "R-NO-1"})
    except TransitionRefused as error:
        _refused(request, error)
        _keep_quorum_refusal(request, meeting, error)
    if action in {"approve", "return", "reject"} and request.POST.get("next") == "queue":
        return redirect("approval_queue")
    return _back(meeting)


@login_required
@require_POST
@limited("propose_topic")
def topic_new(request, pk: int):
    """Propose a topic, with its written materials (R-AG-1..5)."""
    meeting = access_meeting(request.user, pk, "propose")
    form = TopicForm(request.POST, request.FILES, meeting_type=meeting.meeting_type, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(meeting, "agenda")
    d = form.cleaned_data
    try:
        from django.db import transaction

        with transaction.atomic():  # the topic and its material are kept together, or neither
            topic = agenda.propose_topic(actor=request.user, meeting=meeting, category=d["category"],
                                           title=d["title"], summary=d["summary"], important=d["important"],
                                           for_information=d["for_information"], concerned_unit=d["concerned_unit"],
                                           unit_matter=d["unit_matter"], unit_decision=d["unit_decision"])
            if d["material"]:
                material_services.add_material(actor=request.user, topic=topic, upload=d["material"])
        messages.success(request, _("议题已提出。"))
    except TransitionRefused as error:
        _refused(request, error)
    return _back(meeting, "agenda")


@login_required
@limited("propose_topic")
def topic_submit(request, pk: int):
    """R-AG-9: a division proposes a topic to the office for a meeting whose topics the office gathers;
    the page shows the meeting's title and date, nothing else of it."""
    meeting = access_meeting_to_propose(request.user, pk)
    form = TopicForm(request.POST or None, meeting_type=meeting.meeting_type, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agenda.propose_topic(actor=request.user, meeting=meeting, category=d["category"], title=d["title"],
                                 summary=d["summary"], important=d["important"],
                                 for_information=d["for_information"], concerned_unit=d["concerned_unit"],
                                 unit_matter=d["unit_matter"], unit_decision=d["unit_decision"])
            messages.success(request, _("议题已提交办公室。"))
            return redirect("topic_submit", pk=meeting.pk)
        except TransitionRefused as error:
            form.add_error(None, str(error))
    return render(request, "governance/topic_submit.html", {"form": form, "m": meeting})


TOPIC_ACTIONS = {
    "accept": "approve", "return": "approve", "reject": "approve", "resubmit": "propose",
    "open": "manage", "decide": "manage", "defer": "manage", "note": "manage",
    "matter": "view",  # the service asks for the office's or the approver's right (R-AG-6)
}


@login_required
@require_POST
def topic_action(request, pk: int, action: str):
    """One transition of a topic: review, open for discussion, decide, defer, note."""
    if action not in TOPIC_ACTIONS:
        raise Http404("no such action")
    topic = access_topic(request.user, pk, TOPIC_ACTIONS[action])
    reason = ReasonForm(request.POST)
    reason.is_valid()
    why = reason.cleaned_data.get("reason", "")
    try:
        if action in {"accept", "return", "reject"}:
            agenda.review_topic(actor=request.user, topic=topic, decision=action, reason=why)
        elif action == "resubmit":
            agenda.resubmit_topic(actor=request.user, topic=topic)
        elif action == "open":
            voting.open_topic(actor=request.user, topic=topic)
        elif action == "defer":
            voting.defer_topic(actor=request.user, topic=topic, reason=why)
        elif action == "matter":
            unit = Unit.objects.filter(pk=parse_id(request.POST.get("concerned_unit")) or 0).first()
            agenda.mark_unit_matter(actor=request.user, topic=topic, unit_matter=request.POST.get("unit_matter", ""),
                                    concerned_unit=unit)
        elif action in {"decide", "note"}:
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(" ".join(e for errs in form.errors.values() for e in errs))
            if action == "decide":
                voting.decide_topic(actor=request.user, topic=topic, decision=form.cleaned_data["decision"],
                                      dissent=form.cleaned_data["dissent"])
            else:
                voting.note_topic(actor=request.user, topic=topic, decision=form.cleaned_data["decision"])
        messages.success(request, _("议题“%(t)s”已更新。") % {"t": topic.title})
    except TransitionRefused as error:
        _refused(request, error)
        _keep_quorum_refusal(request, topic.meeting, error, topic=topic)
    return _back(topic.meeting, f"topic-{topic.pk}")


def _keep_quorum_refusal(request, meeting, error: TransitionRefused, topic=None) -> None:
    """R-QU-1, R-QU-2: a refusal for want of quorum is kept for the compliance view."""
    check = getattr(error, "quorum_check", None)
    if check is not None:
        from governance.services.followup import record_quorum_refusal

        record_quorum_refusal(actor=request.user, meeting=meeting, check=check, topic=topic)


@login_required
@require_POST
def vote(request, pk: int):
    """Record one member's vote on a topic (R-VO-1)."""
    topic = access_topic(request.user, pk, "manage")
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("表决数据不完整。"))
    member = User.objects.filter(pk=form.cleaned_data["member"]).first()
    try:
        if member is None:
            raise TransitionRefused(_("没有这个人。"))
        voting.record_vote(actor=request.user, topic=topic, member=member, choice=form.cleaned_data["choice"])
        messages.success(request, _("已记录表决。"))
    except TransitionRefused as error:
        _refused(request, error)
    return _back(topic.meeting, f"topic-{topic.pk}")


@login_required
@require_POST
def leave_ask(request, pk: int):
    """A member asks leave (R-NO-2)."""
    meeting = access_meeting(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        attendance.ask_leave(actor=request.user, meeting=meeting, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("请假申请已提交，等待批准。"))
    except TransitionRefused as error:
        _refused(request, error)
    return _back(meeting, "people")


@login_required
@require_POST
def leave_decide(request, pk: int, decision: str):
    """The chair or division head grants or refuses leave (R-NO-2)."""
    leave = get_object_or_404(LeaveRequest.objects.select_related("participant__meeting"), pk=pk)
    meeting = access_meeting(request.user, leave.participant.meeting_id)
    if decision not in {"grant", "refuse"}:
        raise Http404("no such decision")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        attendance.decide_leave(actor=request.user, leave=leave, grant=decision == "grant",
                              note=form.cleaned_data.get("reason", ""))
        messages.success(request, _("已处理请假。"))
    except TransitionRefused as error:
        _refused(request, error)
    if request.POST.get("next") == "queue":
        return redirect("approval_queue")
    return _back(meeting, "people")


@login_required
@require_POST
def sign_in(request, pk: int):
    """Sign a participant in (the recorder), or oneself (R-NO-3); htmx gets the attendance panel back."""
    meeting = access_meeting(request.user, pk)
    chosen = request.POST.get("person")
    person_pk = parse_id(chosen) if chosen else request.user.pk
    person = User.objects.filter(pk=person_pk).first() if person_pk else None
    try:
        if person is None:
            raise TransitionRefused(_("没有这个人。"))
        attendance.sign_in(actor=request.user, meeting=meeting, person=person)
        if not request.htmx:
            messages.success(request, _("已签到。"))
    except TransitionRefused as error:
        _refused(request, error)
    if request.htmx:
        page = meeting_selectors.meeting_page(request.user, meeting)
        return render(request, "governance/_partials/attendance.html",
                      {"p": page, "m": meeting, "t": meeting.meeting_type,
                       "quorum_clause": meeting.meeting_type.clause_for("quorum")})
    return _back(meeting, "people")


@login_required
@require_POST
def briefing(request, pk: int):
    """Record how an absent member was told the decisions (R-NO-4)."""
    item = get_object_or_404(Briefing.objects.select_related("participant__meeting"), pk=pk)
    meeting = access_meeting(request.user, item.participant.meeting_id, "manage")
    form = BriefingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写传达方式。"))
        return _back(meeting, "briefings")
    try:
        attendance.record_briefing(actor=request.user, briefing=item, method=form.cleaned_data["method"],
                                 note=form.cleaned_data["note"])
        messages.success(request, _("已登记传达情况。"))
    except TransitionRefused as error:
        _refused(request, error)
    return _back(meeting, "briefings")


@login_required
def notifications(request):
    """My in-app messages, newest first."""
    items = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = paginate(request, items, 30)
    return render(request, "governance/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one message (or all, pk=0) as read."""
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if pk:
        mine = mine.filter(pk=pk)
    for note in mine:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "notifications"  # a path on this site, or the inbox: never a view name or another site
    return redirect(target)

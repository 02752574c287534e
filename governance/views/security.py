"""The security administrator's screen (三员分立; R-CO-1, R-CO-2): assign and revoke the three
administrator roles, grant and revoke a confidential topic or a meeting type's minutes book, each with
a reason, and a city's oversight of its bureaus' compliance. Only the security administrator opens it; a superuser is not one."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.rules.refusals import TransitionRefused
from governance.selectors import roles_admin
from governance.services import admin_roles

from ..forms import GrantForm
from ..models import (
    AdminRole,
    AdminRoleAssignment,
    City,
    CityOversight,
    Meeting,
    MeetingType,
    MinutesBookGrant,
    Topic,
    TopicGrant,
)
from ..permissions import require_admin_role

User = get_user_model()


def security_admin_only(view):
    """Signed in, and the security administrator (403 otherwise, before any object is looked up)."""
    @wraps(view)
    @login_required
    def gated(request, *args, **kwargs):
        require_admin_role(request.user, AdminRole.SECURITY)
        return view(request, *args, **kwargs)
    return gated


@security_admin_only
def security_home(request):
    meeting_id = request.GET.get("meeting", "")
    meeting = Meeting.objects.filter(pk=meeting_id).first() if meeting_id.isdigit() else None
    return render(request, "governance/security.html", {
        "o": roles_admin.security_overview(), "roles": AdminRole.choices, "candidates": roles_admin.role_candidates(),
        "meetings": roles_admin.meetings_with_confidential_topics(), "meeting": meeting,
        "topics": roles_admin.confidential_topics(meeting) if meeting else [],
        "topic_grantees": roles_admin.grantees(bureau_id=meeting.bureau_id) if meeting else [],
        "book_types": roles_admin.book_types(), "book_grantees": roles_admin.grantees(), "cities": roles_admin.cities()})


def _act(request, action, done: str, anchor: str, back: str = ""):
    """Run one service call; a refusal is shown as it is."""
    try:
        action()
    except TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('security')}{back}#{anchor}")


def _form(request) -> dict:
    form = GrantForm(request.POST)
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items()}


@security_admin_only
@require_POST
def role_assign(request):
    d = _form(request)
    user = get_object_or_404(User, pk=d.get("person") or 0)
    return _act(request, lambda: admin_roles.assign_role(actor=request.user, user=user, role=d.get("role", ""),
                                                         reason=d.get("reason", "")), _("已授予管理员角色。"), "roles")


@security_admin_only
@require_POST
def role_revoke(request, pk: int):
    assignment = get_object_or_404(AdminRoleAssignment, pk=pk)
    d = _form(request)
    return _act(request, lambda: admin_roles.revoke_role(actor=request.user, assignment=assignment,
                                                         reason=d.get("reason", "")), _("已撤销管理员角色。"), "roles")


@security_admin_only
@require_POST
def topic_grant(request):
    d = _form(request)
    topic = get_object_or_404(Topic, pk=d.get("topic") or 0)
    person = get_object_or_404(User, pk=d.get("person") or 0)
    return _act(request, lambda: admin_roles.grant_topic(actor=request.user, topic=topic, person=person,
                                                         reason=d.get("reason", "")),
                _("已授权查阅该保密议题。"), "topics", back=f"?meeting={topic.meeting_id}")


@security_admin_only
@require_POST
def topic_revoke(request, pk: int):
    grant = get_object_or_404(TopicGrant, pk=pk)
    d = _form(request)
    return _act(request, lambda: admin_roles.revoke_topic_grant(actor=request.user, grant=grant,
                                                                reason=d.get("reason", "")),
                _("已撤销保密议题授权。"), "topics")


@security_admin_only
@require_POST
def book_grant(request):
    d = _form(request)
    meeting_type = get_object_or_404(MeetingType, pk=d.get("meeting_type") or 0)
    person = get_object_or_404(User, pk=d.get("person") or 0)
    return _act(request, lambda: admin_roles.grant_minutes_book(actor=request.user, meeting_type=meeting_type,
                                                                person=person, reason=d.get("reason", "")),
                _("已授权查阅会议记录本。"), "books")


@security_admin_only
@require_POST
def book_revoke(request, pk: int):
    grant = get_object_or_404(MinutesBookGrant, pk=pk)
    d = _form(request)
    return _act(request, lambda: admin_roles.revoke_minutes_book_grant(actor=request.user, grant=grant,
                                                                       reason=d.get("reason", "")),
                _("已撤销会议记录本查阅授权。"), "books")


@security_admin_only
@require_POST
def city_grant(request):
    """A city's overseer sees every bureau's compliance figures side by side (read-only, no content)."""
    d = _form(request)
    city = get_object_or_404(City, pk=d.get("city") or 0)
    person = get_object_or_404(User, pk=d.get("person") or 0)
    return _act(request, lambda: admin_roles.grant_city_oversight(actor=request.user, city=city, person=person,
                                                                  reason=d.get("reason", "")),
                _("已授权查看本市各局合规情况。"), "cities")


@security_admin_only
@require_POST
def city_revoke(request, pk: int):
    grant = get_object_or_404(CityOversight, pk=pk)
    d = _form(request)
    return _act(request, lambda: admin_roles.revoke_city_oversight(actor=request.user, grant=grant,
                                                                   reason=d.get("reason", "")),
                _("已撤销市级合规监督授权。"), "cities")

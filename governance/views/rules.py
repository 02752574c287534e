"""Screens of the organisation and the meeting types' rules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from governance.selectors import org
from governance.selectors.meeting_types import calling_names, describe_meeting_type

from .bureau import current_bureau


def _bureau_or_404(request):
    bureau = current_bureau(request)
    if bureau is None:
        raise Http404("no bureau")
    return bureau


@login_required
def meeting_type_list(request):
    """Every meeting type of my bureau, with its rules at a glance."""
    bureau = _bureau_or_404(request)
    rows = list(org.meeting_types_for(bureau=bureau))
    calling = calling_names(bureau.pk, rows)
    types = [describe_meeting_type(t, calling=calling) for t in rows]
    return render(request, "governance/meeting_type_list.html", {"bureau": bureau, "types": types})


@login_required
def meeting_type_detail(request, code: str):
    """One meeting type: each rule with the clause it comes from."""
    bureau = _bureau_or_404(request)
    meeting_type = org.meeting_types_for(bureau=bureau).filter(code=code).first()
    if meeting_type is None:
        raise Http404("no such meeting type")
    return render(request, "governance/meeting_type_detail.html",
                  {"bureau": bureau, "t": describe_meeting_type(meeting_type)})

"""Accountability screens (责任追究, R-FU-8): the Supervision Office's list of cases, opening a case on a
breach from the compliance records, the case with its record, finding and decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.rules.refusals import TransitionRefused
from governance.selectors import accountability as cases
from governance.services import accountability

from ..forms import PersonField, parse_id
from ..models import CaseStatus, Measure, Unit
from .bureau import current_bureau
from .pages import paginate

User = get_user_model()


class CaseForm(forms.Form):
    responsible = PersonField(label=gettext_lazy("责任人"), queryset=User.objects.none())
    responsible_unit = forms.ModelChoiceField(label=gettext_lazy("责任处室/单位"), queryset=Unit.objects.none())
    facts = forms.CharField(label=gettext_lazy("基本事实"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = cases.responsible_choices(bureau)
        self.fields["responsible_unit"].queryset = cases.unit_choices(bureau)


class FindingForm(forms.Form):
    finding = forms.CharField(label=gettext_lazy("认定意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("处理措施"),
                                choices=[("", gettext_lazy("不予追究"))] + list(Measure.choices), required=False)
    decision = forms.CharField(label=gettext_lazy("处理决定"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


@login_required
def case_list(request):
    """The cases of the bureaus I oversee (R-FU-8), newest first, by status."""
    if not cases.may_list_cases(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    page = paginate(request, cases.case_list(request.user, status=status if status in CaseStatus.values else ""), 50)
    return render(request, "governance/case_list.html", {
        "page": page, "status": status,
        "statuses": CaseStatus.choices,
        "clause": cases.clause(bureau) if (bureau := current_bureau(request)) else None})


@login_required
def case_new(request):
    """Open a case on the breach `?breach=` (from the compliance records)."""
    breach = cases.openable_breach(request.user, parse_id(request.GET.get("breach") or request.POST.get("breach")) or 0)
    if getattr(breach, "accountability_case", None) is not None:
        messages.info(request, _("这项违规记录已立案。"))
        return redirect("case_detail", pk=breach.accountability_case.pk)
    suggested = cases.suggested_responsible(breach)
    form = CaseForm(request.POST or None, bureau=breach.bureau, initial={
        "responsible": suggested.pk if suggested else None, "responsible_unit": breach.unit_id,
        "facts": breach.description})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = accountability.open_case(actor=request.user, breach=breach, responsible=d["responsible"],
                                            responsible_unit=d["responsible_unit"], facts=d["facts"])
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已立案：%(n)s。") % {"n": case.number})
            return redirect("case_detail", pk=case.pk)
    return render(request, "governance/case_new.html", {
        "form": form, "breach": breach, "link": cases.record_link(breach, None), "clause": cases.clause(breach.bureau)})


@login_required
def case_detail(request, pk: int):
    case = cases.access_case(request.user, pk)
    investigating = cases.may_investigate(request.user, case.bureau)
    deciding = cases.may_decide(request.user, case.bureau) and case.responsible_id != request.user.pk
    return render(request, "governance/case_detail.html", {
        "case": case, "link": cases.record_link(case.breach, case.action),
        "finding_form": FindingForm(initial={"finding": case.finding}) if investigating and not case.closed else None,
        "decide_form": DecideForm() if deciding and case.status == CaseStatus.FOUND else None,
        "history": case.history.select_related("history_user__person").order_by("history_date")})


@login_required
@require_POST
def case_finding(request, pk: int):
    case = cases.access_case(request.user, pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写认定意见。"))
        return redirect("case_detail", pk=case.pk)
    try:
        accountability.record_finding(actor=request.user, case=case, finding=form.cleaned_data["finding"])
        messages.success(request, _("认定意见已提交，等待处理决定。"))
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def case_decide(request, pk: int):
    case = cases.access_case(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理措施并写明处理决定。"))
        return redirect("case_detail", pk=case.pk)
    try:
        case = accountability.decide_case(actor=request.user, case=case, measure=form.cleaned_data["measure"],
                                          decision=form.cleaned_data["decision"])
        messages.success(request, _("处理决定已作出：%(m)s。") % {
            "m": case.get_measure_display() if case.measure else _("不予追究")})
    except TransitionRefused as error:
        messages.error(request, str(error))
    return redirect("case_detail", pk=case.pk)

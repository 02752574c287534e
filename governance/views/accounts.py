"""The person's own sign-in (等保 2.0 三级, 身份鉴别): changing the password (forced at first login,
after a reset and on expiry), the sessions they have open, the second factor (TOTP) set up and asked
after the password, and the page shown during a lockout."""

from __future__ import annotations

from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record as audit_record
from governance.selectors import accounts as account_reads
from governance.services import sessions as session_service

from ..forms import OTPCodeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reason"] = account_reads.password_change_reason(self.request.user)
        return context

    def form_valid(self, form):
        before = self.request.session.session_key
        response = super().form_valid(form)  # update_session_auth_hash gives the session a new key
        session_service.rekey(before, self.request.session.session_key)
        session_service.remember_sign_in(self.request.session, self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def _next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def session_list(request):
    if request.method == "POST":
        pk = request.POST.get("session", "")
        if pk.isdigit() and session_service.end_session(user=request.user, pk=int(pk)):
            messages.success(request, _("该会话已结束。"))
        return redirect("sessions")
    session_service.forget_ended(request.user)
    return render(request, "accounts/sessions.html", {
        "sessions": account_reads.open_sessions(request.user), "current": request.session.session_key})


@login_required
def keepalive(request):
    """The idle-timeout notice's 「继续使用」: the session's idle timeout starts again now."""
    from meetings_site.middleware import touch

    touch(request, force=True)
    return HttpResponse(status=204)


@login_required
def otp_setup(request):
    """Show a new TOTP key as a QR code and confirm it with a code from the authenticator app."""
    if account_reads.confirmed_devices(request.user).exists():
        return render(request, "accounts/otp_setup.html", {"enabled": True})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("动态口令"), confirmed=False)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=request.user, category="login", action="otp_setup", obj=request.user,
                         label=request.user.get_username(), request=request)
            messages.success(request, _("动态口令已启用，今后登录时须输入。"))
            return redirect(_next(request))
        form.add_error("code", _("动态口令不正确或已过期。"))
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr": qr.svg_data_uri(scale=4), "secret": _base32(device), "next": _next(request, "")})


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


OTP_FAILURES = "otp_failures"


@login_required
def otp_verify(request):
    """After the password: the code of the account's confirmed device. Each wrong code is in the audit
    trail and slows the device's next attempts (django-otp's throttling, kept on the device across
    sessions); after AXES_FAILURE_LIMIT wrong codes in a row the session is ended and the person must
    sign in again with the password (which axes counts)."""
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        for device in account_reads.confirmed_devices(request.user):
            if device.verify_token(code):
                otp_login(request, device)
                request.session.pop(OTP_FAILURES, None)
                audit_record(actor=request.user, category="login", action="otp", request=request)
                return redirect(_next(request))
        failures = request.session.get(OTP_FAILURES, 0) + 1
        audit_record(actor=request.user, category="login_failed", action="otp", outcome="failure",
                     reason=_("动态口令不正确或已过期。"), detail={"failures": failures}, request=request)
        if failures >= settings.AXES_FAILURE_LIMIT:
            from django.contrib.auth import logout

            logout(request)
            messages.error(request, _("动态口令连续 %(n)d 次不正确，已退出登录，请重新登录。") % {"n": failures})
            return redirect("login")
        request.session[OTP_FAILURES] = failures
        form.add_error("code", _("动态口令不正确或已过期。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request, "")})


def lockout_response(request, response, credentials, *args, **kwargs):
    """django-axes' answer during a lockout (AXES_LOCKOUT_CALLABLE): in Chinese, with the time the
    person may try again (every attempt during the lockout starts the cool-off again)."""
    cooloff = settings.AXES_COOLOFF_TIME
    if not isinstance(cooloff, timedelta):
        cooloff = timedelta(hours=float(cooloff or 0))
    until = timezone.localtime(timezone.now() + cooloff)
    return render(request, "registration/locked_out.html", {
        "until": until, "minutes": int(cooloff.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT}, status=429)


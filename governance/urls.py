from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from .views import accountability as case_views
from .views import accounts as account_views
from .views import bureau as bureau_views
from .views import calendar as calendar_views
from .views import city as city_views
from .views import compliance as compliance_views
from .views import documents as documents_views
from .views import followup as followup_views
from .views import materials as material_views
from .views import meetings as views
from .views import security as security_views
from .views.limits import limited

urlpatterns = [
    path("accounts/login/", limited("login", key="ip")(auth_views.LoginView.as_view(authentication_form=LoginForm)), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # 身份鉴别: the person's own password, sessions and second factor.
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/sessions/", account_views.session_list, name="sessions"),
    path("accounts/keepalive/", account_views.keepalive, name="keepalive"),
    path("accounts/otp/setup/", account_views.otp_setup, name="otp_setup"),
    path("accounts/otp/verify/", account_views.otp_verify, name="otp_verify"),
    path("", views.home, name="home"),
    path("rules/", views.meeting_type_list, name="meeting_type_list"),
    path("rules/<str:code>/", views.meeting_type_detail, name="meeting_type_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/approvals/", views.approval_queue, name="approval_queue"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/do/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/topics/new/", views.topic_new, name="topic_new"),
    path("meetings/<int:pk>/topics/submit/", views.topic_submit, name="topic_submit"),
    path("meetings/<int:pk>/leave/", views.leave_ask, name="leave_ask"),
    path("meetings/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("topics/<int:pk>/do/<slug:action>/", views.topic_action, name="topic_action"),
    path("topics/<int:pk>/vote/", views.vote, name="vote"),
    path("topics/<int:pk>/consult/", followup_views.consultation_new, name="consultation_new"),
    path("topics/<int:pk>/escalate/", followup_views.topic_escalate, name="topic_escalate"),
    path("topics/<int:pk>/unit-opinions/", followup_views.unit_opinion_new, name="unit_opinion_new"),
    path("topics/<int:pk>/materials/", material_views.material_upload, name="material_upload"),
    path("materials/<int:pk>/", material_views.material_download, name="material_download"),
    path("leave/<int:pk>/<slug:decision>/", views.leave_decide, name="leave_decide"),
    path("briefings/<int:pk>/", views.briefing, name="briefing"),
    # Under minutes/, where they were served before: links already given out keep working.
    path("minutes/notice/<int:meeting_pk>.docx", documents_views.notice_docx, name="notice_docx"),
    path("minutes/attendance/<int:meeting_pk>.docx", documents_views.attendance_docx, name="attendance_docx"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("actions/", followup_views.action_list, name="action_list"),
    path("actions/<int:pk>/", followup_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/report/", followup_views.action_report, name="action_report"),
    path("actions/<int:pk>/complete/", followup_views.action_complete, name="action_complete"),
    path("meetings/<int:meeting_pk>/actions/new/", followup_views.action_new, name="action_new"),
    path("meetings/<int:meeting_pk>/preparations/", followup_views.preparation_new, name="preparation_new"),
    path("meetings/<int:meeting_pk>/record/", followup_views.meeting_record, name="meeting_record"),
    path("meetings/<int:meeting_pk>/outcome/", followup_views.outcome_report, name="outcome_report"),
    path("meetings/<int:meeting_pk>/file/close/", followup_views.file_close, name="file_close"),
    path("compliance/", compliance_views.compliance_view, name="compliance"),
    # 责任追究 (R-FU-8): cases the Supervision Office opens on breaches.
    path("accountability/", case_views.case_list, name="case_list"),
    path("accountability/new/", case_views.case_new, name="case_new"),
    path("accountability/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("accountability/<int:pk>/finding/", case_views.case_finding, name="case_finding"),
    path("accountability/<int:pk>/decide/", case_views.case_decide, name="case_decide"),
    path("city/", city_views.city_overview, name="city"),
    path("city/bureaus/<int:pk>/", city_views.city_bureau, name="city_bureau"),
    path("bureau/switch/", bureau_views.bureau_switch, name="bureau_switch"),
    path("compliance/records/", compliance_views.compliance_records, name="compliance_records"),
    path("ledgers/", compliance_views.ledger_view, name="ledgers"),
    path("ledgers/export.<slug:fmt>", compliance_views.ledger_export, name="ledger_export"),
    path("search/", compliance_views.search, name="search"),
    path("calendar/", calendar_views.month, name="calendar_month"),
    path("calendar/week/", calendar_views.week, name="calendar_week"),
    path("calendar/feed-token/", calendar_views.feed_token, name="calendar_feed_token"),
    path("calendar/feed/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    # The security administrator's screen (三员分立; R-CO-1, R-CO-2).
    path("security/", security_views.security_home, name="security"),
    path("security/roles/assign/", security_views.role_assign, name="security_role_assign"),
    path("security/roles/<int:pk>/revoke/", security_views.role_revoke, name="security_role_revoke"),
    path("security/topics/grant/", security_views.topic_grant, name="security_topic_grant"),
    path("security/topics/<int:pk>/revoke/", security_views.topic_revoke, name="security_topic_revoke"),
    path("security/minutes-book/grant/", security_views.book_grant, name="security_book_grant"),
    path("security/minutes-book/<int:pk>/revoke/", security_views.book_revoke, name="security_book_revoke"),
    path("security/city/grant/", security_views.city_grant, name="security_city_grant"),
    path("security/city/<int:pk>/revoke/", security_views.city_revoke, name="security_city_revoke"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.minutes_list, name="minutes_list"),
    path("supervision/", views.supervision, name="minutes_supervision"),
    path("exports/", views.exports, name="minutes_exports"),
    path("exports/<int:pk>/download/", views.export_download, name="minutes_export_download"),
    path("archive/", views.archive_packages, name="archive_packages"),
    path("archive/<int:pk>/download/", views.archive_download, name="archive_download"),
    path("start/<int:meeting_pk>/", views.minutes_start, name="minutes_start"),
    path("<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("<int:pk>/docx/", views.minutes_docx, name="minutes_docx"),
    path("<int:pk>/do/<slug:action>/", views.minutes_action, name="minutes_action"),
    path("revisions/<int:pk>/edit/", views.revision_edit, name="revision_edit"),
]

from django.urls import path

from crimeplan.governance import views

app_name = "governance"

_board = "plans/<slug:slug>/boards/<slug:board_slug>/"
_meeting = _board + "meetings/<str:day>/"
_report = _board + "reports/<str:quarter>/v<int:version>/"

urlpatterns = [
    path(_board, views.board_detail, name="board"),
    path(_board + "meetings/add/", views.meeting_add, name="meeting_add"),
    path(_meeting, views.meeting_detail, name="meeting"),
    path(_meeting + "edit/", views.meeting_edit, name="meeting_edit"),
    path(_meeting + "delete/", views.meeting_delete, name="meeting_delete"),
    path(_meeting + "agenda/add/", views.agenda_add, name="agenda_add"),
    path(_meeting + "agenda/<int:pk>/edit/", views.agenda_edit, name="agenda_edit"),
    path(_meeting + "agenda/<int:pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path(_meeting + "decisions/add/", views.decision_add, name="decision_add"),
    path(_board + "reports/generate/", views.report_generate, name="generate"),
    path(_board + "decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path(_board + "decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
    path(_report, views.report_view, name="report"),
    path(_report + "report.pdf", views.report_pdf, name="report_pdf"),
    path(_report + "publish/", views.report_publish, name="publish"),
]

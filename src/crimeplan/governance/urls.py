from django.urls import path

from crimeplan.governance import views

app_name = "governance"

_board = "plans/<slug:slug>/boards/<slug:board_slug>/"
_report = _board + "reports/<str:quarter>/v<int:version>/"

urlpatterns = [
    path(_board, views.board_detail, name="board"),
    path(_board + "meetings/<str:day>/", views.meeting_detail, name="meeting"),
    path(_board + "reports/generate/", views.report_generate, name="generate"),
    path(_board + "decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
    path(_report, views.report_view, name="report"),
    path(_report + "report.pdf", views.report_pdf, name="report_pdf"),
    path(_report + "publish/", views.report_publish, name="publish"),
]

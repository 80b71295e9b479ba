from django.urls import path

from crimeplan.consultation import views

app_name = "consultation"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<slug:slug>/", views.survey_page, name="survey"),
    path("<slug:slug>/thank-you/", views.thanks, name="thanks"),
    path("<slug:slug>/results/", views.results_page, name="results"),
    path("<slug:slug>/analyse/", views.analyse_page, name="analyse"),
    path("<slug:slug>/phase/", views.set_phase, name="phase"),
    path("<slug:slug>/responses.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("<slug:slug>/responses.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]

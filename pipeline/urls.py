"""Pipeline pages: ``/pipeline/upload/``, ``/pipeline/runs/`` and a run's page, progress and actions."""

from django.urls import path

from pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", views.RunProgressView.as_view(), name="run_progress"),
    path("runs/<int:pk>/report.json", views.RunReportView.as_view(), name="run_report"),
    path("runs/<int:pk>/retry/", views.RunRetryView.as_view(), name="run_retry"),
    path("runs/<int:pk>/cancel/", views.RunCancelView.as_view(), name="run_cancel"),
]

"""Quality pages: ``/quality/`` and each report."""
from django.urls import path

from quality import views

app_name = "quality"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/report.json", views.ReportDownloadView.as_view(), name="report_download"),
]

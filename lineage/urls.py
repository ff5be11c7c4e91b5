"""Lineage pages: ``/lineage/``, a graph per dataset or job, a graph per run."""
from django.urls import path

from lineage import views

app_name = "lineage"
urlpatterns = [
    path("", views.LineageIndexView.as_view(), name="index"),
    path("nodes/<int:pk>/", views.NodeLineageView.as_view(), name="node"),
    path("runs/<str:run_id>/", views.RunLineageView.as_view(), name="run"),
]

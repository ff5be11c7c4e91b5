"""Catalog pages: ``/catalog/`` and each dataset's page."""
from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.DatasetListView.as_view(), name="dataset_list"),
    path("<int:pk>/", views.DatasetDetailView.as_view(), name="dataset_detail"),
    path("<int:pk>/schema.json", views.DatasetSchemaView.as_view(), name="dataset_schema"),
    path("<int:pk>/edit/", views.DatasetEditView.as_view(), name="dataset_edit"),
    path("<int:pk>/acknowledge/", views.AcknowledgeBreakingChangeView.as_view(), name="dataset_acknowledge"),
    path("<int:pk>/columns/<int:column_pk>/edit/", views.ColumnEditView.as_view(), name="column_edit"),
]

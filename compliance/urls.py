"""Compliance pages."""
from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("pii/", views.PiiFindingListView.as_view(), name="pii"),
    path("pii/export.csv", views.PiiFindingExportView.as_view(), name="pii_export"),
    path("pii/decrypt/", views.DecryptView.as_view(), name="pii_decrypt"),
]

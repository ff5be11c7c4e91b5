"""Compliance pages."""
from django.urls import path  # noqa: F401

app_name = "compliance"
urlpatterns: list = []

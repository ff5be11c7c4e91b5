"""Choices shared across Atlas apps."""
from django.db import models


class Role(models.TextChoices):
    """The roles a person can hold; each is a Django group of the same name."""

    VIEWER = "viewer", "Viewer"
    OPERATOR = "operator", "Operator"
    STEWARD = "steward", "Data steward"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMIN = "admin", "Administrator"


class Layer(models.TextChoices):
    """The three warehouse layers, each a PostgreSQL schema."""

    EXPLORE = "explore", "Explore (raw)"
    CHART = "chart", "Chart (typed, validated)"
    NAVIGATE = "navigate", "Navigate (business-ready)"

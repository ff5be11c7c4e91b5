"""Compliance API views."""

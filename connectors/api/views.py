"""Connectors API views."""

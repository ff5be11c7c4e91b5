"""Connectors models."""

"""Connectors admin."""

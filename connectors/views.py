"""Connectors pages."""

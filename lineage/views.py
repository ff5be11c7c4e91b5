"""Lineage pages."""

"""Catalog API views."""

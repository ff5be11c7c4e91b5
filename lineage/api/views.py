"""Lineage API views."""

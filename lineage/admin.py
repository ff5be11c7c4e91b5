"""Lineage admin."""

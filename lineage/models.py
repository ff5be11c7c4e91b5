"""Lineage models."""

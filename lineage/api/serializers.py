"""Lineage API serializers."""

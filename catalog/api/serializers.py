"""Catalog API serializers."""

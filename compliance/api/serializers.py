"""Compliance API serializers."""

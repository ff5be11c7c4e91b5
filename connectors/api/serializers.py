"""Connectors API serializers."""

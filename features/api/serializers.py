"""Features API serializers."""

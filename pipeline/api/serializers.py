"""Pipeline API serializers."""

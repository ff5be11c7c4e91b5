"""Quality API serializers."""

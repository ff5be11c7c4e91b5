"""Quality API views."""

"""Features API views."""

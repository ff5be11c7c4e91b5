"""Pipeline API views."""

"""Pipeline admin."""

"""Pipeline pages."""

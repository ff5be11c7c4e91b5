"""Features pages."""

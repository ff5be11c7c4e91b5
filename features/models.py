"""Features models."""

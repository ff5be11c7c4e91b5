"""Quality models."""

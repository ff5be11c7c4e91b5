"""Quality pages."""

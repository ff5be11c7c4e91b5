"""Quality admin."""

"""Features admin."""

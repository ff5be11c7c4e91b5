"""Compliance admin."""

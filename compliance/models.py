"""Compliance models."""

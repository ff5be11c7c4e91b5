"""Catalog Celery tasks: thin wrappers around the service code."""

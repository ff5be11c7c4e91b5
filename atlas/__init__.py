"""Atlas: the data governance back office."""
from atlas.celery import app as celery_app

__all__ = ("celery_app",)

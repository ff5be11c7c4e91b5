"""Shared API pieces: the exception handler and base viewsets."""
from __future__ import annotations

import logging

from django.db import DatabaseError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    """DRF's handler, plus a readable 503 for database outages instead of a 500 page."""
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, DatabaseError):
        logger.exception("database error in %s", context.get("view").__class__.__name__)
        return Response(
            {"detail": "The database is unavailable or refused the request. Try again shortly; "
                       "if it persists, check /health/ready."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return None

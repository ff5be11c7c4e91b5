"""PII detection: Presidio-based column classification, with no network and no model download.

Pure Python, no Django imports; the pipeline samples columns, calls
``get_detector().detect(...)`` and counts ``pg_pattern`` over all rows in SQL.
"""
# First: sets TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS before Presidio imports tldextract.
from . import offline  # noqa: F401
from .detector import (
    ColumnFinding,
    ColumnSample,
    CustomRecognizerSpec,
    PiiDetector,
    get_detector,
)
from .validators import VALIDATORS

__all__ = [
    "VALIDATORS", "ColumnFinding", "ColumnSample", "CustomRecognizerSpec", "PiiDetector", "get_detector",
]

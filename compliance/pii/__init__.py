"""PII detection: Presidio-based column classification, with no network and no model download.

Pure Python, no Django imports; the pipeline samples columns, calls
``get_detector().detect(...)`` and counts ``pg_pattern`` over all rows in SQL.
"""
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

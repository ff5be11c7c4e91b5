"""Sources hand the chain Arrow record batches of text columns, streamed.

``open_source(path)`` detects the format and returns a ``Source``. Connectors
will be sources of the same kind: anything with ``headers``, ``batches()``,
``progress()`` and ``rejected``.
"""

from pipeline.sources.base import MAX_COLUMNS, RejectedRecord, Source, SourceError
from pipeline.sources.detect import open_source

__all__ = ["MAX_COLUMNS", "RejectedRecord", "Source", "SourceError", "open_source"]

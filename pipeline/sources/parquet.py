"""Parquet, read row group by row group; every value becomes text in explore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.choices import SourceFormat
from pipeline.sources.base import BATCH_ROWS, Source, SourceError


def as_text(array: pa.Array) -> pa.Array:
    """A text rendering of any Arrow array: ISO timestamps, JSON for nested values, NaN as missing."""
    kind = array.type
    if pa.types.is_string(kind):
        return array
    if pa.types.is_large_string(kind) or pa.types.is_dictionary(kind):
        return pc.cast(array, pa.string())
    if pa.types.is_timestamp(kind):
        text = pc.strftime(array, format="%Y-%m-%dT%H:%M:%S" + ("%z" if kind.tz else ""))
        return text
    if pa.types.is_floating(kind):
        # NaN is how pandas (and the Parquet it writes) marks a missing number: it arrives as missing,
        # not as the word "nan", which would turn a numeric column into text.
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, kind), array)
    if pa.types.is_nested(kind):
        return pa.array(
            [None if v is None else json.dumps(v, default=str) for v in array.to_pylist()], pa.string()
        )
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return pa.array([None if v is None else v.hex() for v in array.to_pylist()], pa.string())
    try:
        return pc.cast(array, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in array.to_pylist()], pa.string())


@dataclass
class ParquetSource(Source):
    path: Path = None

    def __post_init__(self) -> None:
        self.format = SourceFormat.PARQUET
        try:
            self._file = pq.ParquetFile(self.path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise SourceError(f"The file is not a readable Parquet file: {exc}.") from exc
        self.set_headers(self._file.schema_arrow.names)
        self._rows = self._file.metadata.num_rows

    def batches(self) -> Iterator[pa.RecordBatch]:
        done = 0
        try:
            for batch in self._file.iter_batches(batch_size=BATCH_ROWS):
                done += batch.num_rows
                self._consumed = int(self.size * done / self._rows) if self._rows else self.size
                yield pa.RecordBatch.from_arrays([as_text(c) for c in batch.columns], names=self.headers)
        except (pa.ArrowInvalid, OSError) as exc:
            raise SourceError(f"The Parquet file could not be read to the end: {exc}.") from exc

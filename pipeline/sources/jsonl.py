"""JSON Lines: one object per line; nested values are kept as JSON text."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipeline.choices import SourceFormat
from pipeline.sources.base import BATCH_ROWS, CountingReader, RejectedRecord, Source, SourceError, text_batch


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass
class JsonLinesSource(Source):
    path: Path = None
    compressed: bool = False

    def __post_init__(self) -> None:
        self.format = SourceFormat.JSONL
        # Keys can first appear on any line, so one pass collects them all before loading.
        keys: dict[str, None] = {}
        for _, record in self._records(collect_rejects=False):
            keys.update(dict.fromkeys(record))
        if not keys:
            raise SourceError("The file has no JSON objects. Each line must be one JSON object.")
        self.set_headers(list(keys))
        self._keys = list(keys)
        self._consumed = 0

    def _lines(self) -> Iterator[tuple[int, str]]:
        raw = open(self.path, "rb")
        counted = io.BufferedReader(CountingReader(raw, self), buffer_size=1 << 20)
        binary = gzip.GzipFile(fileobj=counted) if self.compressed else counted
        with io.TextIOWrapper(binary, encoding=self.encoding) as text:
            try:
                yield from enumerate(text, start=1)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"Part of the file is not valid {self.encoding}. Save it as UTF-8 and upload again."
                ) from exc

    def _records(self, collect_rejects: bool = True) -> Iterator[tuple[int, dict]]:
        for number, line in self._lines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                if collect_rejects:
                    self.rejected.append(RejectedRecord(number, line[:2000], f"not valid JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                if collect_rejects:
                    self.rejected.append(
                        RejectedRecord(number, line[:2000], "the line is JSON but not an object")
                    )
                continue
            yield number, record

    def batches(self) -> Iterator[pa.RecordBatch]:
        columns: list[list[str | None]] = [[] for _ in self._keys]
        for _, record in self._records():
            for index, key in enumerate(self._keys):
                columns[index].append(_text(record.get(key)))
            if len(columns[0]) >= BATCH_ROWS:
                yield text_batch(self.headers, columns)
                columns = [[] for _ in self._keys]
        if columns[0]:
            yield text_batch(self.headers, columns)

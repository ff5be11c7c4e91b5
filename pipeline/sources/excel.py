"""Excel .xlsx, read in streaming mode: the first sheet unless one is named."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipeline.choices import SourceFormat
from pipeline.sources.base import BATCH_ROWS, Source, SourceError, text_batch


def cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        # Excel stores a date as a datetime at midnight; a date column should type as a date.
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


@dataclass
class ExcelSource(Source):
    path: Path = None
    sheet: str | None = None

    def __post_init__(self) -> None:
        from openpyxl import load_workbook

        self.format = SourceFormat.XLSX
        try:
            self._book = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise SourceError(f"The file is not a readable Excel workbook (.xlsx): {exc}.") from exc
        if self.sheet and self.sheet not in self._book.sheetnames:
            raise SourceError(
                f"The workbook has no sheet '{self.sheet}'; it has {', '.join(self._book.sheetnames)}."
            )
        self._ws = self._book[self.sheet] if self.sheet else self._book.worksheets[0]
        rows = self._ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SourceError("The sheet is empty. Its first row must name the columns.")
        while header and header[-1] is None:
            header = header[:-1]
        self.set_headers(list(header))
        self._total = self._ws.max_row or 0

    def batches(self) -> Iterator[pa.RecordBatch]:
        width = len(self.headers)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        done = 0
        for row in self._ws.iter_rows(min_row=2, values_only=True):
            if all(v is None for v in row):
                continue
            for index in range(width):
                columns[index].append(cell_text(row[index]) if index < len(row) else None)
            done += 1
            if len(columns[0]) >= BATCH_ROWS:
                self._consumed = int(self.size * done / self._total) if self._total else 0
                yield text_batch(self.headers, columns)
                columns = [[] for _ in range(width)]
        if columns[0]:
            yield text_batch(self.headers, columns)
        self._consumed = self.size
        self._book.close()

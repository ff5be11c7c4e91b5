"""What every source shares: the error users see, header clean-up, rejected records."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa

# PostgreSQL allows 1,600 columns in a table; explore adds three of its own.
MAX_COLUMNS = 1597
BATCH_ROWS = 65536


class SourceError(ValueError):
    """The received data cannot be read; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class RejectedRecord:
    """A record that could not be parsed into the header's columns (e.g. a ragged CSV row)."""

    row: int | None
    text: str
    reason: str


@dataclass
class Source:
    """Base for sources: subclasses fill ``headers`` on open and yield batches from ``batches()``."""

    description: str
    format: str = ""
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)
    size: int = 0
    _consumed: int = 0

    def batches(self) -> Iterator[pa.RecordBatch]:  # pragma: no cover - abstract
        raise NotImplementedError

    def progress(self) -> float:
        """Share of the input read so far, 0..1."""
        return min(1.0, self._consumed / self.size) if self.size else 0.0

    def set_headers(self, raw: list[object]) -> None:
        self.headers, notes = clean_headers(raw)
        self.warnings.extend(notes)


def clean_headers(raw: list[object]) -> tuple[list[str], list[str]]:
    """Names for every column: blank ones get ``column_N``, repeats get ``_2``, ``_3``…"""
    if not raw:
        raise SourceError("The file has no header row. The first row must name the columns.")
    if len(raw) > MAX_COLUMNS:
        raise SourceError(
            f"The file has {len(raw):,} columns; Atlas keeps at most {MAX_COLUMNS:,} per dataset "
            "(PostgreSQL's limit). Split the file into several datasets."
        )
    names: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    for position, value in enumerate(raw, start=1):
        name = "" if value is None else str(value).strip().replace("\x00", "")
        if not name:
            name = f"column_{position}"
            notes.append(f"Column {position} had no name; it is called '{name}'.")
        if name.casefold() in seen:
            base, counter = name, 2
            while f"{base}_{counter}".casefold() in seen:
                counter += 1
            notes.append(f"Column {position} repeats the name '{base}'; it is called '{base}_{counter}'.")
            name = f"{base}_{counter}"
        seen.add(name.casefold())
        names.append(name)
    return names, notes


class CountingReader(io.RawIOBase):
    """Wraps a binary file and counts bytes read, for progress."""

    def __init__(self, raw, source: Source) -> None:
        self._raw = raw
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._source._consumed = (
            self._raw.tell() if hasattr(self._raw, "tell") else self._source._consumed + n
        )
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def text_batch(headers: list[str], columns: list[list[str | None]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(col, pa.string()) for col in columns], names=headers)

"""Which reader a file needs: format by content (then extension), encoding, compression."""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

from pipeline.choices import SourceFormat
from pipeline.sources.base import Source, SourceError

SNIFF_BYTES = 1 << 20


def _peek(path: Path, compressed: bool) -> bytes:
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise SourceError(
            f"The file could not be read: {exc}. If it is compressed, only gzip is supported."
        ) from exc


def detect_encoding(head: bytes) -> str:
    """The text encoding of ``head``: BOMs first, then UTF-8, then a statistical guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1:2] == b"\x00" and head[3:4] == b"\x00" and head[0:1] != b"\x00":
        return "utf-16-le"
    if len(head) >= 4 and head[0:1] == b"\x00" and head[2:3] == b"\x00":
        return "utf-16-be"
    if b"\x00" in head:
        raise SourceError(_nul_message(head))
    if _is_utf8(head):
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head[: 256 * 1024]).best()
    if best is None:
        raise SourceError(
            "The file's text encoding could not be recognised and it may be binary. "
            "Save it as UTF-8 and upload again."
        )
    encoding = best.encoding
    # Western files that are not UTF-8 are nearly always cp1252, a superset of Latin-1's printable range.
    if encoding in {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1252", "mac_roman", "ascii"}:
        return "cp1252" if _decodes(head, "cp1252") else "latin-1"
    return encoding


def _is_utf8(data: bytes, cut: bool | None = None) -> bool:
    """Whether ``data`` is UTF-8; a sniffed block (``cut``) may end inside a multi-byte character."""
    cut = len(data) >= SNIFF_BYTES if cut is None else cut
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not cut)
        return True
    except UnicodeDecodeError:
        return False


def _nul_message(head: bytes) -> str:
    """Text with a few NUL bytes (an export glitch) is told apart from binary data."""
    text = head.replace(b"\x00", b"")
    if head.count(b"\x00") <= max(8, len(head) // 100) and _is_utf8(text, cut=len(head) >= SNIFF_BYTES):
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        return (
            f"The file contains NUL bytes (the first on line {line:,}), which text in the warehouse "
            "cannot hold. Remove them (for example with tr -d '\\000') or export the file again, "
            "then upload it again."
        )
    return (
        "This file contains binary data, not text. Upload a CSV, JSON Lines, Parquet or Excel (.xlsx) file."
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def detect_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PAR1"):
        return SourceFormat.PARQUET
    if head.startswith(b"PK\x03\x04"):
        return SourceFormat.XLSX
    suffixes = [s.lower() for s in path.suffixes]
    if ".parquet" in suffixes:
        return SourceFormat.PARQUET
    if ".xlsx" in suffixes:
        return SourceFormat.XLSX
    if ".jsonl" in suffixes or ".ndjson" in suffixes or _looks_like_jsonl(head):
        return SourceFormat.JSONL
    return SourceFormat.CSV


def _looks_like_jsonl(head: bytes) -> bool:
    text = head.lstrip()
    if not text.startswith(b"{"):
        return False
    first = text.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def open_source(path: str | os.PathLike, *, options: dict | None = None, description: str = "") -> Source:
    """A ready source for the file at ``path``; raises ``SourceError`` for unreadable input."""
    path = Path(path)
    options = options or {}
    if not path.exists():
        raise SourceError(f"No file at {path}.")
    size = path.stat().st_size
    if size == 0:
        raise SourceError("The file is empty. Upload a file with a header row and at least one data row.")
    with open(path, "rb") as handle:
        magic = handle.read(4)
    compressed = magic[:2] == b"\x1f\x8b"
    head = _peek(path, compressed)
    if not head.strip():
        raise SourceError("The file is empty. Upload a file with a header row and at least one data row.")
    fmt = options.get("format") or detect_format(path.with_suffix("") if compressed else path, head)
    description = description or path.name
    if fmt == SourceFormat.PARQUET:
        from pipeline.sources.parquet import ParquetSource

        return ParquetSource(description=description, path=path, size=size)
    if fmt == SourceFormat.XLSX:
        from pipeline.sources.excel import ExcelSource

        return ExcelSource(description=description, path=path, size=size, sheet=options.get("sheet"))
    encoding = options.get("encoding") or detect_encoding(head)
    if fmt == SourceFormat.JSONL:
        from pipeline.sources.jsonl import JsonLinesSource

        return JsonLinesSource(
            description=description, path=path, size=size, encoding=encoding, compressed=compressed
        )
    from pipeline.sources.csv import CsvSource

    return CsvSource(
        description=description,
        path=path,
        size=size,
        encoding=encoding,
        compressed=compressed,
        head=head,
        delimiter=options.get("delimiter"),
    )

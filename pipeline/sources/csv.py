"""CSV through Arrow's streaming reader: sniffed delimiter, quoted newlines, any encoding, gzip."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from pipeline.choices import SourceFormat
from pipeline.sources.base import CountingReader, RejectedRecord, Source, SourceError

BLOCK_SIZE = 8 << 20
DELIMITERS = ",;\t|"
# Ragged rows are set aside, but a file that is mostly ragged is the wrong file.
MAX_REJECTED_KEPT = 100_000


@dataclass
class CsvSource(Source):
    path: Path = None
    compressed: bool = False
    head: bytes = b""
    delimiter: str | None = None
    _columns: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.format = SourceFormat.CSV
        text = self._decode_head()
        self.delimiter = self.delimiter or sniff_delimiter(text)
        try:
            first = next(csv.reader(io.StringIO(text), delimiter=self.delimiter))
        except StopIteration:
            raise SourceError(
                "The file is empty. Upload a file with a header row and at least one data row."
            ) from None
        except csv.Error as exc:
            raise SourceError(f"The header row could not be read as CSV: {exc}.") from exc
        self.set_headers(first)
        self._columns = len(first)

    def _decode_head(self) -> str:
        # A sniffed block may end inside a character (of any width: UTF-16 has two-byte newlines)
        # and inside a row: decode what is whole, then keep whole lines only.
        truncated = len(self.head) >= (1 << 20)
        try:
            text = codecs.getincrementaldecoder(self.encoding)().decode(self.head, final=not truncated)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"The file is not valid {self.encoding} (byte {exc.start}). "
                "Save it as UTF-8 and upload again."
            ) from exc
        cut = text.rfind("\n")
        return text[: cut + 1] if truncated and cut > 0 else text

    def _open(self):
        raw = open(self.path, "rb")
        counted = io.BufferedReader(CountingReader(raw, self), buffer_size=BLOCK_SIZE)
        return gzip.GzipFile(fileobj=counted) if self.compressed else counted

    def _on_invalid_row(self, row) -> str:
        if len(self.rejected) < MAX_REJECTED_KEPT:
            self.rejected.append(
                RejectedRecord(
                    # Arrow counts records from the header's; chart counts data rows from 1.
                    row=None if row.number is None else row.number - 1,
                    text=(row.text or "")[:2000],
                    reason=(
                        f"the row has {row.actual_columns} fields but the header has {row.expected_columns}"
                    ),
                )
            )
        return "skip"

    def batches(self) -> Iterator[pa.RecordBatch]:
        names = [f"c{i}" for i in range(self._columns)]
        read_options = pacsv.ReadOptions(
            column_names=names,
            block_size=BLOCK_SIZE,
            encoding=_arrow_encoding(self.encoding),
            # Single-threaded, Arrow knows each record's place in the file, which a ragged row is
            # rejected with; explore reads on a thread of its own, so nothing waits on this.
            use_threads=False,
        )
        parse_options = pacsv.ParseOptions(
            delimiter=self.delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=True,
            invalid_row_handler=self._on_invalid_row,
        )
        convert_options = pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        handle = self._open()
        try:
            reader = pacsv.open_csv(
                handle,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            first = True
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                if first:
                    batch = batch.slice(1)  # the header row
                    first = False
                if batch.num_rows:
                    yield pa.RecordBatch.from_arrays(batch.columns, names=self.headers)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise SourceError(_explain_arrow_error(exc, self.encoding)) from exc
        except (OSError, EOFError) as exc:
            raise SourceError(f"The file could not be read to the end: {exc}. It may be truncated.") from exc
        finally:
            handle.close()


def _arrow_encoding(encoding: str) -> str:
    # Arrow reads UTF-8 natively; a BOM is dropped by the "utf-8-sig" codec in Python,
    # which is slower, so only use it when there is a BOM.
    return "utf8" if encoding == "utf-8" else encoding


def sniff_delimiter(text: str, rows: int = 50) -> str:
    """The delimiter that cuts the first rows into the same number of fields as the header.

    Each candidate parses the rows as CSV (quotes respected); the one whose rows most often
    have the header's width wins, the widest header on a tie. ``csv.Sniffer`` guessed from
    character counts and was fooled by delimiters inside quoted names (``"a; b"``).
    """
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        widths: list[int] = []
        try:
            for record in csv.reader(io.StringIO(text), delimiter=delimiter):
                if record:
                    widths.append(len(record))
                if len(widths) >= rows:
                    break
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        score = (sum(w == widths[0] for w in widths) / len(widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _explain_arrow_error(exc: Exception, encoding: str) -> str:
    text = str(exc)
    if "UTF8" in text or "utf-8" in text.lower() or isinstance(exc, UnicodeDecodeError):
        return (
            f"Part of the file is not valid {encoding}: it seems to mix text encodings. "
            "Save the whole file as UTF-8 and upload again."
        )
    return f"The file could not be parsed as CSV: {text.splitlines()[0][:300]}"

"""Taking an upload from the page or the API: size limit, keep the file, create and queue the run.

The received bytes are stored first, so nothing a user sent is lost: when the
run cannot be created (a clashing dataset name, a duplicate), the kept file's
id goes back to the caller, who can start the run from it without sending the
file again (``source_file_id`` with ``force``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from pipeline.models import PipelineRun, SourceFile
from pipeline.services.submit import SubmitError, create_run, enqueue, store_file

# Room for the multipart envelope and the small form fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class UploadTooLarge(SubmitError):
    """The file is over ``settings.ATLAS_MAX_UPLOAD_BYTES``; the message names the limit."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = upload_limit() if limit is None else limit
        super().__init__(
            f"The file is larger than the upload limit of {format_megabytes(self.limit)}. "
            "Split it, compress it (gzip), or load it from the server with manage.py atlas_ingest."
        )


class SubmitFailed(SubmitError):
    """The run could not be created; ``source_file`` is the kept file to retry from."""

    def __init__(self, error: SubmitError, source_file: SourceFile) -> None:
        self.error = error
        self.source_file = source_file
        super().__init__(str(error))


def upload_limit() -> int:
    return int(settings.ATLAS_MAX_UPLOAD_BYTES)


def format_megabytes(size: int) -> str:
    """``2,048 MB``, ``1.5 MB``, ``0.098 MB (100 KB)``: a limit in megabytes, exact enough to act on."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 10 or megabytes == int(megabytes):
        return f"{megabytes:,.0f} MB"
    if megabytes >= 1:
        return f"{megabytes:.1f} MB"
    return f"{megabytes:.2g} MB ({size / 1024:,.0f} KB)"


def check_content_length(meta: dict) -> None:
    """Refuse a request whose declared body is over the limit, before anything reads the body."""
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if declared > upload_limit() + MULTIPART_OVERHEAD_BYTES:
        raise UploadTooLarge()


def check_file_size(size: int | None) -> None:
    """Refuse a received file over the limit (a chunked request has no Content-Length to check first)."""
    if size is not None and size > upload_limit():
        raise UploadTooLarge()


def parse_keys(values: Iterable[str] | str | None) -> list[str]:
    """Key columns from ``"a,b"``, ``["a", "b"]`` or ``["a,b"]``; blanks dropped, order kept, no repeats."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    keys: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in keys:
                keys.append(part)
    return keys


@dataclass
class UploadRequest:
    """What a person asked for: a file (or a kept file's id), the dataset and how to load it."""

    dataset: str
    file: object | None = None
    source_file_id: int | None = None
    key: list[str] = field(default_factory=list)
    mode: str | None = None
    force: bool = False
    delimiter: str = ""
    sheet: str = ""

    @property
    def options(self) -> dict:
        return {k: v for k, v in {"delimiter": self.delimiter, "sheet": self.sheet}.items() if v}


def kept_file(source_file_id: int) -> SourceFile:
    source = SourceFile.objects.filter(pk=source_file_id).first()
    if source is None or not source.file or not source.file.storage.exists(source.file.name):
        raise SubmitError(f"The kept file {source_file_id} is no longer there; upload the file again.")
    return source


def accept_upload(request: UploadRequest, user=None) -> PipelineRun:
    """Keep the file, create the run and queue it.

    Raises ``UploadTooLarge``, ``SubmitError`` for a request that cannot be
    taken, and ``SubmitFailed`` (carrying the kept file, and ``error``, e.g. a
    ``DuplicateUpload``) when the file was kept but the run was not created.
    """
    if request.file is not None:
        check_file_size(getattr(request.file, "size", None))
        name = getattr(request.file, "name", "") or "upload"
        source = store_file(request.file, name, user)
    elif request.source_file_id is not None:
        source = kept_file(request.source_file_id)
    else:
        raise SubmitError("Choose a file to upload.")
    try:
        run = create_run(
            dataset_name=request.dataset,
            source=source,
            mode=request.mode or None,
            key=request.key,
            user=user,
            force=request.force,
            options=request.options,
        )
    except SubmitError as exc:
        raise SubmitFailed(exc, source) from exc
    enqueue(run)
    return run

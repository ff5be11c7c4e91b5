"""Where a run's data comes from: its kept file, opened as a streaming source."""

from __future__ import annotations

import shutil
import tempfile

from pipeline.errors import PipelineError
from pipeline.models import PipelineRun
from pipeline.sources import Source, open_source


def local_path(source_file) -> str:
    """A local filesystem path for a stored file, copying it out of remote storage if need be."""
    try:
        return source_file.file.path
    except NotImplementedError:
        suffix = "".join(source_file.original_name.rpartition(".")[1:])
        with (
            source_file.file.open("rb") as remote,
            tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as local,
        ):
            shutil.copyfileobj(remote, local, 8 << 20)
            return local.name


def source_for_run(run: PipelineRun) -> Source:
    if run.source_file is None:
        raise PipelineError("This run has no received file to read; upload the file again.")
    return open_source(
        local_path(run.source_file), options=run.options, description=run.source_file.original_name
    )

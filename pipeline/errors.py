"""Errors that end a run, each with a message meant for the person who started it."""


class PipelineError(Exception):
    """A run cannot go on; ``str(error)`` says why in words a user understands."""


class RunCancelled(PipelineError):
    """Someone asked the run to stop."""

    def __init__(self, message: str = "The run was cancelled on request; nothing it wrote was kept.") -> None:
        super().__init__(message)

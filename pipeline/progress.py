"""Progress reporting from inside a run's transaction, visible to everyone outside it."""

from __future__ import annotations

import time

from django.db import connections

from pipeline.errors import RunCancelled

MIN_INTERVAL_SECONDS = 0.5


class ProgressManager:
    """Writes stage, percent and message to the run on a separate autocommit connection.

    The run's own work happens in one transaction (so a failure leaves nothing
    behind); progress must be seen while it is still open, hence a second
    connection. Each write also reads back ``cancel_requested``.
    """

    def __init__(self, run_id: int, weights: dict[str, float], echo=None) -> None:
        self.run_id = run_id
        self._weights = weights
        total = sum(weights.values()) or 1.0
        self._offsets: dict[str, float] = {}
        running = 0.0
        for name, weight in weights.items():
            self._offsets[name] = running / total * 100
            running += weight
        self._total = total
        self._stage = ""
        self._last_write = 0.0
        self._connection = None
        self._echo = echo
        self.percent = 0.0
        self.message = ""

    def _cursor(self):
        if self._connection is None:
            self._connection = connections.create_connection("default")
            self._connection.ensure_connection()
            self._connection.set_autocommit(True)
        return self._connection.cursor()

    @property
    def current_stage(self) -> str:
        return self._stage

    def stage(self, name: str, message: str = "") -> None:
        self._stage = name
        self.update(0.0, message or f"{name}…", force=True)

    def update(self, fraction: float, message: str = "", *, force: bool = False) -> None:
        """Report ``fraction`` (0..1) of the current stage done; raises RunCancelled when asked to stop."""
        weight = self._weights.get(self._stage, 0.0) / self._total * 100
        self.percent = round(
            min(100.0, self._offsets.get(self._stage, 0.0) + weight * max(0.0, min(1.0, fraction))), 1
        )
        if message:
            self.message = message
        if self._echo:
            self._echo(self._stage, self.percent, self.message)
        now = time.monotonic()
        if not force and now - self._last_write < MIN_INTERVAL_SECONDS:
            return
        self._last_write = now
        with self._cursor() as cursor:
            cursor.execute(
                "UPDATE pipeline_pipelinerun SET stage = %s, percent = %s, message = %s WHERE id = %s "
                "RETURNING cancel_requested",
                [self._stage, self.percent, self.message[:500], self.run_id],
            )
            row = cursor.fetchone()
        if row and row[0]:
            raise RunCancelled()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

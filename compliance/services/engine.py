"""The detector Atlas runs: ``compliance.pii`` with the stewards' active custom recognizers.

Building a detector costs a few seconds of CPU (Presidio and spaCy imports,
the name and place word lists), once per process. A Celery worker process
starts building it in the background as soon as it starts
(``worker_process_init``, wired in ``ComplianceConfig.ready``), so runs find
it ready. In a one-shot ``atlas_ingest`` the PII stage's ``warm_up`` has it
built while the chart stage works inside PostgreSQL and leaves this process
idle. (Building it during explore was measured: the GIL makes explore slower
by as much as it saves.) Background builds go through :mod:`atlas.warmup`'s
one thread, and a build on any thread holds ``_building``, so a detector is
never built twice at once.
"""
from __future__ import annotations

import functools
import threading

from django.db import DatabaseError

from atlas import warmup
from compliance import conf

_building = threading.Lock()


def custom_specs() -> tuple:
    """The active custom recognizers as detector specs, in a stable order."""
    from compliance.models import CustomRecognizer

    return tuple(r.spec() for r in CustomRecognizer.objects.filter(active=True).order_by("entity", "name"))


def warm_up_worker(**kwargs) -> None:
    """``worker_process_init`` receiver: build this worker process's detector in the background."""
    preparation = warm_up()
    if preparation is not None:
        warmup.submit(preparation)


def warm_up(specs: tuple | None = None):
    """A preparation that builds the detector for ``specs`` (the active ones when None), or None.

    The specs are read here, on the caller's thread and database connection.
    """
    if specs is None:
        try:
            specs = custom_specs()
        except DatabaseError:
            return None
    # Should the build fail, the PII stage builds it again and reports the error properly.
    return functools.partial(detector, specs)


def detector(specs: tuple | None = None):
    """The shared ``PiiDetector`` for the active custom recognizers (waits for a build in progress)."""
    from compliance.pii import get_detector

    specs = custom_specs() if specs is None else specs
    with _building:
        return get_detector(spacy_model=conf.spacy_model(), custom=specs)

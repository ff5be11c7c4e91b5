"""The detector Atlas runs: ``compliance.pii`` with the stewards' active custom recognizers.

Building a detector costs a few seconds of CPU (Presidio and spaCy imports,
the name and place word lists), once per process. A Celery worker process
starts building it in a background thread as soon as it starts
(``worker_process_init``, wired in ``ComplianceConfig.ready``), so runs find
it ready. In a one-shot ``atlas_ingest`` the PII stage's ``warm_up`` starts
building it when the chart stage begins: chart works inside PostgreSQL and
leaves this process idle. (Building it during explore was measured: the GIL
makes explore slower by as much as it saves.)
"""
from __future__ import annotations

import logging
import threading

from django.db import DatabaseError

from compliance import conf

logger = logging.getLogger(__name__)

_warming: dict[tuple, threading.Thread] = {}
_lock = threading.Lock()


def custom_specs() -> tuple:
    """The active custom recognizers as detector specs, in a stable order."""
    from compliance.models import CustomRecognizer

    return tuple(r.spec() for r in CustomRecognizer.objects.filter(active=True).order_by("entity", "name"))


def _build(spacy_model: str | None, specs: tuple) -> None:
    try:
        from compliance.pii import get_detector

        get_detector(spacy_model=spacy_model, custom=specs)
    except Exception:  # the stage builds it again and reports the error properly
        logger.exception("warming the PII detector failed")


def warm_up_worker(**kwargs) -> None:
    """``worker_process_init`` receiver: build this worker process's detector in the background."""
    warm_up()


def warm_up(specs: tuple | None = None) -> None:
    """Start building the detector for ``specs`` in the background (once per process and specs)."""
    if specs is None:
        try:
            specs = custom_specs()
        except DatabaseError:
            return
    key = (conf.spacy_model(), specs)
    with _lock:
        if key in _warming:
            return
        thread = threading.Thread(target=_build, args=key, name="atlas-pii-warm-up", daemon=True)
        _warming[key] = thread
    thread.start()


def detector(specs: tuple | None = None):
    """The shared ``PiiDetector`` for the active custom recognizers (waits for a warm-up in progress)."""
    from compliance.pii import get_detector

    specs = custom_specs() if specs is None else specs
    key = (conf.spacy_model(), specs)
    thread = _warming.get(key)
    if thread is not None and thread.is_alive():
        thread.join()
    return get_detector(spacy_model=key[0], custom=specs)

"""Checking an event against the OpenLineage specification (``lineage/spec/OpenLineage.json``, 2-0-2).

The spec's formats are enforced too — ``eventTime`` a date-time with a time,
``producer`` and ``schemaURL`` URIs, ``run.runId`` a UUID — since a receiver
that lets them through ends up with a graph nobody can join on.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from lineage.choices import EventKind

SPEC_PATH = Path(__file__).resolve().parent.parent / "spec" / "OpenLineage.json"
DEFINITIONS = {EventKind.RUN: "RunEvent", EventKind.DATASET: "DatasetEvent", EventKind.JOB: "JobEvent"}


class InvalidEvent(ValueError):
    """The event does not follow the OpenLineage spec; the message says where and why."""


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "t" not in value.lower():
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlparse(value)
    return bool(parsed.scheme) and bool(parsed.netloc or parsed.path)


def _uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def format_checker() -> FormatChecker:
    """The spec's formats, checked without optional jsonschema extras."""
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    checker.checks("uuid")(_uuid)
    return checker


@cache
def spec() -> dict:
    """The OpenLineage spec as JSON."""
    return json.loads(SPEC_PATH.read_text())


@cache
def _validator(definition: str) -> Draft202012Validator:
    document = spec()
    schema = {"$schema": document["$schema"], "$defs": document["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=format_checker())


def event_kind(payload: dict) -> str:
    """Which event definition ``payload`` means to follow: a run event unless it is shaped otherwise."""
    if "run" in payload:
        return EventKind.RUN
    if "dataset" in payload and "job" not in payload:
        return EventKind.DATASET
    if "job" in payload:
        return EventKind.JOB
    return EventKind.RUN


def _where(path) -> str:
    parts = []
    for part in path:
        parts.append(f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part)))
    return "".join(parts) or "the event"


def validate_event(payload: Any) -> str:
    """Raise ``InvalidEvent`` unless ``payload`` is a valid OpenLineage event; returns its kind."""
    if not isinstance(payload, dict):
        raise InvalidEvent("An OpenLineage event is a JSON object; the body was not one.")
    kind = event_kind(payload)
    error = best_match(_validator(DEFINITIONS[kind]).iter_errors(payload))
    if error is not None:
        raise InvalidEvent(
            f"Not a valid OpenLineage {DEFINITIONS[kind]}: {_where(error.absolute_path)}: {error.message}"
        )
    return kind

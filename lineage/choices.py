"""Lineage choices."""
from django.db import models


class EventType(models.TextChoices):
    """OpenLineage run states (``eventType``); empty for dataset and job events."""

    START = "START", "Start"
    RUNNING = "RUNNING", "Running"
    COMPLETE = "COMPLETE", "Complete"
    ABORT = "ABORT", "Abort"
    FAIL = "FAIL", "Fail"
    OTHER = "OTHER", "Other"


class EventKind(models.TextChoices):
    """Which OpenLineage event definition a stored event follows."""

    RUN = "run", "Run event"
    DATASET = "dataset", "Dataset event"
    JOB = "job", "Job event"


class EventOrigin(models.TextChoices):
    EMITTED = "emitted", "Emitted by Atlas"
    RECEIVED = "received", "Received from another producer"


class ForwardStatus(models.TextChoices):
    """Where an event stands with the external OpenLineage backend (``OPENLINEAGE_URL``)."""

    NOT_NEEDED = "not_needed", "Not forwarded"
    PENDING = "pending", "Waiting to be forwarded"
    SENT = "sent", "Forwarded"
    FAILED = "failed", "Forwarding failed"


class NodeKind(models.TextChoices):
    DATASET = "dataset", "Dataset"
    JOB = "job", "Job"


class NodeLayer(models.TextChoices):
    """What a node is, for colouring the graph: Atlas's three layers, sources, feature versions, others."""

    SOURCE = "source", "Source"
    EXPLORE = "explore", "Explore"
    CHART = "chart", "Chart"
    NAVIGATE = "navigate", "Navigate"
    FEATURE = "feature", "Feature version"
    EXTERNAL = "external", "External dataset"
    JOB = "job", "Job"


class EdgeKind(models.TextChoices):
    """An edge reads a dataset into a job, writes a job's output, or derives one dataset from another."""

    INPUT = "input", "Input of a job"
    OUTPUT = "output", "Output of a job"
    DERIVED = "derived", "Derived from (column lineage)"


class Direction(models.TextChoices):
    """Which way from a node the graph reaches."""

    BOTH = "both", "Up- and downstream"
    UPSTREAM = "upstream", "Upstream"
    DOWNSTREAM = "downstream", "Downstream"

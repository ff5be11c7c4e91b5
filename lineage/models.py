"""Lineage: OpenLineage events as they were emitted or received, and the graph merged from all of them."""
from __future__ import annotations

from django.db import models
from django.urls import reverse

from lineage.choices import EdgeKind, EventKind, EventOrigin, EventType, ForwardStatus, NodeKind, NodeLayer


class LineageEvent(models.Model):
    """One OpenLineage event, stored exactly as it was sent, with the fields Atlas queries pulled out."""

    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.RUN)
    event_type = models.CharField(max_length=10, choices=EventType.choices, blank=True)
    event_time = models.DateTimeField(help_text="When the producer says the event happened (eventTime).")
    run_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="run.runId")
    job_namespace = models.CharField(max_length=500, blank=True)
    job_name = models.CharField(max_length=1000, blank=True)
    producer = models.CharField(max_length=2000)
    schema_url = models.CharField(max_length=2000)
    payload = models.JSONField(help_text="The event as JSON, exactly as emitted or received.")
    origin = models.CharField(max_length=10, choices=EventOrigin.choices, default=EventOrigin.EMITTED)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When Atlas stored it.")
    pipeline_run = models.ForeignKey(
        "pipeline.PipelineRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lineage_events",
    )
    forward_status = models.CharField(
        max_length=12, choices=ForwardStatus.choices, default=ForwardStatus.NOT_NEEDED, db_index=True
    )
    forward_attempts = models.PositiveIntegerField(default=0)
    forward_error = models.TextField(blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-event_time", "-id")
        indexes = [
            models.Index(fields=("job_namespace", "job_name"), name="lineage_event_job_idx"),
            models.Index(fields=("event_time",), name="lineage_event_time_idx"),
        ]

    def __str__(self) -> str:
        label = self.event_type or self.get_kind_display()
        return f"{label} {self.job_namespace}/{self.job_name} at {self.event_time:%Y-%m-%d %H:%M:%S}"


class LineageNode(models.Model):
    """A dataset or a job of the lineage graph, identified as OpenLineage does: namespace and name."""

    kind = models.CharField(max_length=10, choices=NodeKind.choices)
    namespace = models.CharField(max_length=500)
    name = models.CharField(max_length=1000)
    layer = models.CharField(max_length=10, choices=NodeLayer.choices, default=NodeLayer.EXTERNAL)
    label = models.CharField(max_length=300, blank=True, help_text="A short name to show in the graph.")
    dataset = models.ForeignKey(
        "catalog.Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="lineage_nodes",
        help_text="The catalog dataset this node is a table of, when it is one of Atlas's.",
    )
    schema = models.JSONField(default=list, blank=True, help_text="The latest schema facet's fields.")
    facets = models.JSONField(default=dict, blank=True, help_text="The latest facets seen, by facet name.")
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("kind", "namespace", "name")
        constraints = [
            models.UniqueConstraint(fields=("kind", "namespace", "name"), name="lineage_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.namespace}/{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("lineage:node", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.label or self.name


class LineageEdge(models.Model):
    """A directed edge of the merged graph: dataset → job, job → dataset, or dataset → dataset."""

    kind = models.CharField(max_length=10, choices=EdgeKind.choices)
    source = models.ForeignKey(LineageNode, on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(LineageNode, on_delete=models.CASCADE, related_name="in_edges")
    job = models.ForeignKey(
        LineageNode, null=True, blank=True, on_delete=models.CASCADE, related_name="derived_edges",
        help_text="For derived edges: the job that did the transformation.",
    )
    label = models.CharField(max_length=200, blank=True, help_text="The transformation, in a few words.")
    detail = models.JSONField(default=list, blank=True, help_text="The transformations behind the label.")
    last_event = models.ForeignKey(
        LineageEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("source", "target")
        constraints = [
            models.UniqueConstraint(fields=("kind", "source", "target"), name="lineage_edge_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

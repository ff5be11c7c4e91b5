"""What the lineage pages and API show: a node's neighbourhood, a catalog dataset's, one run's."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from catalog.models import Dataset
from lineage.choices import Direction, NodeKind, NodeLayer
from lineage.models import LineageEvent, LineageNode
from lineage.services.graph import Graph, events_graph, node_graph, parse_depth
from lineage.services.svg import render

LAYER_PREFERENCE = (NodeLayer.NAVIGATE, NodeLayer.CHART, NodeLayer.EXPLORE)


@dataclass
class LineageView:
    """A graph ready to show: its focus, the depth and direction asked for, and the SVG."""

    graph: Graph
    svg: SafeString
    focus: LineageNode | None = None
    depth: int = 0
    direction: str = Direction.BOTH
    events: list[LineageEvent] = field(default_factory=list)
    run_id: str = ""


def parse_direction(value) -> str:
    return value if value in Direction.values else Direction.BOTH


def node_lineage(node: LineageNode, depth=None, direction=None) -> LineageView:
    """The stored graph around ``node``."""
    depth, direction = parse_depth(depth), parse_direction(direction)
    graph = node_graph(node, depth, direction)
    return LineageView(graph=graph, svg=render(graph, title=f"Lineage of {node.display_name}"), focus=node,
                       depth=depth, direction=direction)


def focus_for(dataset: Dataset) -> LineageNode | None:
    """The node standing for a catalog dataset: its navigate table, else its chart or explore table."""
    nodes = {n.layer: n for n in LineageNode.objects.filter(dataset=dataset, kind=NodeKind.DATASET)
             .exclude(name__endswith="__rejected")}
    return next((nodes[layer] for layer in LAYER_PREFERENCE if layer in nodes), None)


def dataset_lineage(dataset: Dataset, depth=None, direction=None) -> LineageView | None:
    """The graph around a catalog dataset, or None before its first run recorded lineage."""
    focus = focus_for(dataset)
    return node_lineage(focus, depth, direction) if focus is not None else None


def resolve_node(name: str, namespace: str | None = None) -> LineageNode | None:
    """A dataset node by catalog dataset name, OpenLineage name (in ``namespace`` if given), or label."""
    dataset = Dataset.objects.filter(name=name).first()
    if dataset is not None and not namespace:
        focus = focus_for(dataset)
        if focus is not None:
            return focus
    nodes = LineageNode.objects.filter(kind=NodeKind.DATASET)
    if namespace:
        nodes = nodes.filter(namespace=namespace)
    return (nodes.filter(name=name).order_by("-last_seen").first()
            or nodes.filter(label=name).order_by("-last_seen").first())


def run_events(reference: str) -> tuple[str, QuerySet[LineageEvent]]:
    """The OpenLineage run id and events of a run named by its Atlas run number or its OpenLineage runId."""
    from lineage.services.naming import run_uuid
    from pipeline.models import PipelineRun

    reference = str(reference).strip()
    if reference.isdigit():
        run = PipelineRun.objects.filter(pk=int(reference)).first()
        if run is None:
            return "", LineageEvent.objects.none()
        run_id = run_uuid(run)
        return run_id, LineageEvent.objects.filter(Q(pipeline_run=run) | Q(run_id=run_id)).order_by(
            "event_time", "pk"
        )
    try:
        run_id = str(uuid.UUID(reference))
    except ValueError:
        return "", LineageEvent.objects.none()
    return run_id, LineageEvent.objects.filter(run_id=run_id).order_by("event_time", "pk")


def run_lineage(reference: str) -> LineageView | None:
    """The graph one run's events describe, or None when there are no events for it."""
    run_id, events = run_events(reference)
    events = list(events)
    if not events:
        return None
    graph = events_graph([e.payload for e in events])
    return LineageView(graph=graph, svg=render(graph, title=f"Lineage of run {run_id}"), events=events,
                       run_id=run_id)

"""The graph people look at: a node's upstream and downstream to a chosen depth.

Stored edges are OpenLineage's shape (dataset → job → dataset) plus derived
dataset → dataset edges from column lineage. For display, a job whose every
output is explained by derived edges disappears into their labels, so an Atlas
pipeline reads source → explore → chart → navigate; a job without column
lineage (an Airflow task, say) stays as a node between what it reads and writes.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db.models import Q

from lineage.choices import Direction, EdgeKind, NodeKind
from lineage.models import LineageEdge, LineageNode
from lineage.services.merge import Extract, Key, RawEdge, extract
from lineage.services.naming import layer_of, short_label

DEFAULT_DEPTH = 3
MAX_DEPTH = 10


@dataclass
class GraphNode:
    """A node to draw."""

    id: str
    kind: str
    layer: str
    label: str
    title: str
    url: str | None = None
    focus: bool = False


@dataclass
class GraphEdge:
    """An edge to draw, with its transformation label and the full detail for a tooltip."""

    source: str
    target: str
    label: str = ""
    title: str = ""


@dataclass
class Graph:
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The graph as JSON for the API."""
        return {
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "layer": n.layer,
                    "label": n.label,
                    "name": n.title,
                    "focus": n.focus,
                }
                for n in self.nodes.values()
            ],
            "edges": [
                {"source": e.source, "target": e.target, "label": e.label, "detail": e.title}
                for e in self.edges
            ],
        }


def parse_depth(value, default: int = DEFAULT_DEPTH) -> int:
    """A depth from a query string: an integer between 1 and MAX_DEPTH, ``default`` when unreadable."""
    try:
        return max(1, min(int(value), MAX_DEPTH))
    except (TypeError, ValueError):
        return default


def display_edges(edges: list[RawEdge], keep: frozenset[Key] = frozenset()) -> list[RawEdge]:
    """Fold jobs whose outputs all have derived edges (unless in ``keep``); the others stay as job nodes."""
    derived_targets: dict[Key, set[Key]] = defaultdict(set)
    outputs: dict[Key, set[Key]] = defaultdict(set)
    inputs: dict[Key, set[Key]] = defaultdict(set)
    jobs: set[Key] = set()
    shown: list[RawEdge] = []
    for edge in edges:
        if edge.kind == EdgeKind.DERIVED:
            shown.append(edge)
            if edge.job:
                derived_targets[edge.job].add(edge.target)
        elif edge.kind == EdgeKind.OUTPUT:
            outputs[edge.source].add(edge.target)
            jobs.add(edge.source)
        else:
            inputs[edge.target].add(edge.source)
            jobs.add(edge.target)
    for job in jobs:
        uncovered = outputs[job] - derived_targets[job]
        if job in keep:
            uncovered = outputs[job]
        elif outputs[job] and not uncovered:
            continue
        shown += [RawEdge(EdgeKind.INPUT, source, job) for source in sorted(inputs[job])]
        shown += [RawEdge(EdgeKind.OUTPUT, job, target) for target in sorted(uncovered)]
    return shown


def neighbourhood(
    edges: list[RawEdge], focus: Key, depth: int, direction: str = Direction.BOTH
) -> list[RawEdge]:
    """The display edges within ``depth`` steps up- and/or downstream of ``focus``."""
    downstream: dict[Key, list[RawEdge]] = defaultdict(list)
    upstream: dict[Key, list[RawEdge]] = defaultdict(list)
    for edge in edges:
        downstream[edge.source].append(edge)
        upstream[edge.target].append(edge)
    kept: dict[int, RawEdge] = {}
    walks = []
    if direction in (Direction.BOTH, Direction.DOWNSTREAM):
        walks.append((downstream, "target"))
    if direction in (Direction.BOTH, Direction.UPSTREAM):
        walks.append((upstream, "source"))
    for adjacency, far_end in walks:
        seen, queue = {focus}, deque([(focus, 0)])
        while queue:
            key, distance = queue.popleft()
            if distance >= depth:
                continue
            for edge in adjacency[key]:
                kept[id(edge)] = edge
                nxt = getattr(edge, far_end)
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, distance + 1))
    return list(kept.values())


def _key(node: LineageNode) -> Key:
    return (node.kind, node.namespace, node.name)


def _load_edges(
    focus: LineageNode, depth: int, direction: str
) -> tuple[list[RawEdge], dict[Key, LineageNode]]:
    """Stored edges around ``focus``: enough raw hops for ``depth`` display steps, all edges of jobs met."""
    nodes: dict[int, LineageNode] = {focus.pk: focus}
    edges: dict[int, LineageEdge] = {}
    frontier = {focus.pk}
    for _ in range(2 * depth + 1):
        if not frontier:
            break
        query = Q()
        if direction in (Direction.BOTH, Direction.DOWNSTREAM):
            query |= Q(source_id__in=frontier)
        if direction in (Direction.BOTH, Direction.UPSTREAM):
            query |= Q(target_id__in=frontier)
        jobs = [pk for pk in frontier if nodes[pk].kind == NodeKind.JOB]
        if jobs:
            query |= Q(job_id__in=jobs) | Q(source_id__in=jobs) | Q(target_id__in=jobs)
        found = LineageEdge.objects.filter(query).select_related("source", "target", "job")
        frontier = set()
        for edge in found:
            if edge.pk in edges:
                continue
            edges[edge.pk] = edge
            for node in (edge.source, edge.target, edge.job):
                if node is not None and node.pk not in nodes:
                    nodes[node.pk] = node
                    frontier.add(node.pk)
    raw = [
        RawEdge(e.kind, _key(e.source), _key(e.target), job=_key(e.job) if e.job else None, label=e.label,
                detail=list(e.detail or []))
        for e in edges.values()
    ]
    return raw, {_key(n): n for n in nodes.values()}


def _node_id(key: Key) -> str:
    return f"{key[0]}:{key[1]}:{key[2]}"


def build(edges: list[RawEdge], nodes: dict[Key, GraphNode], focus: Key | None = None) -> Graph:
    """A drawable graph of ``edges`` over ``nodes`` (which must hold every end of every edge)."""
    graph = Graph()
    for edge in edges:
        for key in (edge.source, edge.target):
            graph.nodes.setdefault(_node_id(key), nodes[key])
        graph.edges.append(GraphEdge(_node_id(edge.source), _node_id(edge.target), edge.label,
                                     "; ".join(edge.detail)))
    if focus is not None:
        node = nodes[focus]
        node.focus = True
        graph.nodes.setdefault(_node_id(focus), node)
    return graph


def graph_node(node: LineageNode) -> GraphNode:
    return GraphNode(id=_node_id(_key(node)), kind=node.kind, layer=node.layer, label=node.display_name,
                     title=f"{node.namespace} / {node.name}", url=node.get_absolute_url())


def node_graph(focus: LineageNode, depth: int = DEFAULT_DEPTH, direction: str = Direction.BOTH) -> Graph:
    """The stored graph around ``focus``, ``depth`` display steps each way."""
    raw, stored = _load_edges(focus, depth, direction)
    keep = frozenset({_key(focus)}) if focus.kind == NodeKind.JOB else frozenset()
    shown = neighbourhood(display_edges(raw, keep), _key(focus), depth, direction)
    return build(shown, {key: graph_node(node) for key, node in stored.items()}, focus=_key(focus))


def events_graph(payloads: list[dict]) -> Graph:
    """The graph a set of events describes on their own (one run's START and COMPLETE, say)."""
    combined = Extract()
    for payload in payloads:
        part = extract(payload)
        for key, raw in part.nodes.items():
            combined.nodes.setdefault(key, raw)
        combined.edges += part.edges
    unique = {(e.kind, e.source, e.target): e for e in combined.edges}
    stored = {(n.kind, n.namespace, n.name): n for n in _stored_nodes(list(combined.nodes))}
    nodes = {}
    for key in combined.nodes:
        if key in stored:
            nodes[key] = graph_node(stored[key])
        else:
            layer = "job" if key[0] == NodeKind.JOB else layer_of(key[1], key[2])
            nodes[key] = GraphNode(
                _node_id(key), key[0], layer, short_label(key[1], key[2]), f"{key[1]} / {key[2]}"
            )
    return build(display_edges(list(unique.values())), nodes)


def _stored_nodes(keys: list[Key]) -> list[LineageNode]:
    if not keys:
        return []
    query = Q()
    for kind, namespace, name in keys:
        query |= Q(kind=kind, namespace=namespace, name=name)
    return list(LineageNode.objects.filter(query))

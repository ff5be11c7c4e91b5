"""Merging events into the lineage graph: every event, emitted or received, adds its nodes and edges.

An event's job reads its inputs and writes its outputs (input and output
edges). An output's column-lineage facet says which datasets its columns came
from and how; those become derived edges, dataset to dataset, labelled with
the transformation — the explore → chart → navigate chain of an Atlas run.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from catalog.models import Dataset
from lineage.choices import EdgeKind, NodeKind, NodeLayer
from lineage.models import LineageEdge, LineageEvent, LineageNode
from lineage.services import naming

Key = tuple[str, str, str]  # (kind, namespace, name)
MAX_LABEL = 60
KEPT_FACETS = ("schema", "documentation", "ownership", "tags", "dataSource", "dataQualityMetrics",
               "dataQualityAssertions", "columnLineage")


@dataclass
class RawNode:
    """A node as one event describes it."""

    key: Key
    facets: dict = field(default_factory=dict)


@dataclass
class RawEdge:
    """An edge as one event describes it; ``job`` is the job behind a derived edge."""

    kind: str
    source: Key
    target: Key
    job: Key | None = None
    label: str = ""
    detail: list[str] = field(default_factory=list)


@dataclass
class Extract:
    nodes: dict[Key, RawNode] = field(default_factory=dict)
    edges: list[RawEdge] = field(default_factory=list)

    def node(self, kind: str, namespace: str, name: str, facets: dict | None = None) -> Key:
        key = (kind, namespace, name)
        node = self.nodes.setdefault(key, RawNode(key))
        node.facets.update(facets or {})
        return key


def summarize(transformations: list[dict]) -> tuple[str, list[str]]:
    """A short label for a set of transformations, and the distinct descriptions behind it.

    ``cast to integer`` and ``cast to date`` become ``cast to integer, date``; masking
    comes first, then other direct transformations, then dataset-wide ones; plain
    copies are named only when nothing else happened.
    """
    masked, direct, indirect, identity = [], [], [], []
    for t in transformations:
        subtype = (t.get("subtype") or t.get("type") or "").lower().replace("_", " ")
        text = (t.get("description") or subtype).strip()
        if not text:
            continue
        if t.get("masking"):
            bucket = masked
        elif (t.get("type") or "").upper() == "INDIRECT":
            bucket = indirect
        elif (t.get("subtype") or "").upper() == "IDENTITY":
            bucket = identity
        else:
            bucket = direct
        if text not in bucket:
            bucket.append(text)
    parts = [_compress(group) for group in (masked, direct, indirect) if group] or (
        [_compress(identity)] if identity else ["identity"]
    )
    label = " · ".join(parts)
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1] + "…"
    return label, sorted(set(masked + direct + indirect + identity))


def _compress(texts: list[str]) -> str:
    groups: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        head, _, tail = text.rpartition(" ")
        if head:
            groups[head].append(tail)
        else:
            groups[text].append("")
    return "; ".join(f"{head} {', '.join(t for t in tails if t)}".strip() for head, tails in groups.items())


def _derived(extract: Extract, job: Key | None, target: Key, lineage: dict) -> None:
    """Derived edges into ``target`` from a column-lineage facet."""
    by_source: dict[Key, list[dict]] = defaultdict(list)
    inputs = [f for spec in (lineage.get("fields") or {}).values() for f in (spec.get("inputFields") or [])]
    inputs += list(lineage.get("dataset") or [])
    for item in inputs:
        if not item.get("namespace") or not item.get("name"):
            continue
        source = extract.node(NodeKind.DATASET, item["namespace"], item["name"])
        if source != target:
            by_source[source].extend(
                item.get("transformations") or [{"type": "DIRECT", "subtype": "IDENTITY"}]
            )
    for source, transformations in by_source.items():
        label, detail = summarize(transformations)
        extract.edges.append(RawEdge(EdgeKind.DERIVED, source, target, job=job, label=label, detail=detail))


def extract(payload: dict) -> Extract:
    """The nodes and edges one event describes."""
    result = Extract()
    job = None
    if isinstance(payload.get("job"), dict) and payload["job"].get("name"):
        job = result.node(NodeKind.JOB, payload["job"].get("namespace", ""), payload["job"]["name"],
                          payload["job"].get("facets"))
    if isinstance(payload.get("dataset"), dict):
        data = payload["dataset"]
        result.node(NodeKind.DATASET, data.get("namespace", ""), data.get("name", ""), data.get("facets"))
    for item in payload.get("inputs") or []:
        key = result.node(NodeKind.DATASET, item["namespace"], item["name"], item.get("facets"))
        if job:
            result.edges.append(RawEdge(EdgeKind.INPUT, key, job))
    for item in payload.get("outputs") or []:
        facets = item.get("facets") or {}
        key = result.node(NodeKind.DATASET, item["namespace"], item["name"], facets)
        if job:
            result.edges.append(RawEdge(EdgeKind.OUTPUT, job, key))
        if isinstance(facets.get("columnLineage"), dict):
            _derived(result, job, key, facets["columnLineage"])
    return result


def _catalog_dataset(layer: str, name: str) -> Dataset | None:
    if layer not in (NodeLayer.EXPLORE, NodeLayer.CHART, NodeLayer.NAVIGATE):
        return None
    table = name.rsplit(".", 1)[-1].removesuffix("__rejected")
    return Dataset.objects.filter(table_name=table).first()


def _upsert_nodes(raws: dict[Key, RawNode]) -> dict[Key, LineageNode]:
    """The nodes for ``raws``, created when new; facets, schema and ``last_seen`` brought up to date.

    ``INSERT … ON CONFLICT DO NOTHING`` (in key order) lets concurrent runs and
    received events name the same node without either failing.
    """
    keys = sorted(raws)
    fresh = []
    for kind, namespace, name in keys:
        layer = NodeLayer.JOB if kind == NodeKind.JOB else naming.layer_of(namespace, name)
        fresh.append(LineageNode(kind=kind, namespace=namespace, name=name, layer=layer,
                                 label=naming.short_label(namespace, name)[:300]))
    LineageNode.objects.bulk_create(fresh, ignore_conflicts=True)
    query = Q()
    for kind, namespace, name in keys:
        query |= Q(kind=kind, namespace=namespace, name=name)
    nodes = {(n.kind, n.namespace, n.name): n for n in LineageNode.objects.filter(query)}
    for key in keys:
        node, raw = nodes[key], raws[key]
        kept = {k: v for k, v in raw.facets.items() if k in KEPT_FACETS and isinstance(v, dict)}
        if node.kind == NodeKind.DATASET and node.dataset_id is None:
            node.dataset = _catalog_dataset(node.layer, node.name)
        if kept:
            node.facets = {**node.facets, **kept}
            if isinstance(kept.get("schema"), dict):
                node.schema = [
                    {"name": f.get("name"), "type": f.get("type"), "description": f.get("description")}
                    for f in kept["schema"].get("fields") or [] if isinstance(f, dict)
                ]
        node.save(update_fields=["dataset", "facets", "schema", "last_seen"])
    return nodes


def merge_event(event: LineageEvent) -> None:
    """Add the event's nodes and edges to the graph; an edge seen before gets its label and time refreshed."""
    found = extract(event.payload)
    nodes = _upsert_nodes(found.nodes)
    edges = {}
    for edge in found.edges:  # one row per (kind, source, target); the last description wins
        edges[(edge.kind, edge.source, edge.target)] = LineageEdge(
            kind=edge.kind, source=nodes[edge.source], target=nodes[edge.target],
            job=nodes[edge.job] if edge.job else None, label=edge.label[:200], detail=edge.detail,
            last_event=event,
        )
    LineageEdge.objects.bulk_create(
        [edges[key] for key in sorted(edges)], update_conflicts=True,
        unique_fields=["kind", "source", "target"],
        update_fields=["job", "label", "detail", "last_event", "last_seen"],
    )

"""A small layered layout for lineage graphs (Sugiyama-style, kept simple).

Nodes go into columns by their longest path from a source (cycles are broken
first), each column is ordered by the barycentre of its neighbours over a few
sweeps to reduce crossings, and an over-full column keeps its most connected
nodes and folds the rest into one "+N more" node.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lineage.services.graph import Graph, GraphEdge, GraphNode

NODE_WIDTH = 190
NODE_HEIGHT = 44
COLUMN_GAP = 160
ROW_GAP = 26
MARGIN = 20
MAX_PER_COLUMN = 12
SWEEPS = 4


@dataclass
class Placed:
    """A node with its box: top-left corner and size."""

    node: GraphNode
    x: float
    y: float
    width: float = NODE_WIDTH
    height: float = NODE_HEIGHT


@dataclass
class Layout:
    nodes: dict[str, Placed] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    width: float = 0
    height: float = 0


def _acyclic(graph: Graph) -> list[GraphEdge]:
    """The edges minus those closing a cycle (found by depth-first search)."""
    out: dict[str, list[GraphEdge]] = defaultdict(list)
    for edge in graph.edges:
        if edge.source != edge.target:
            out[edge.source].append(edge)
    state: dict[str, int] = {}
    kept: list[GraphEdge] = []
    for start in graph.nodes:
        if state.get(start):
            continue
        stack = [(start, iter(out[start]))]
        state[start] = 1
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(edge.target) == 1:
                continue  # a back edge: drawn, but not used for layering
            kept.append(edge)
            if not state.get(edge.target):
                state[edge.target] = 1
                stack.append((edge.target, iter(out[edge.target])))
    return kept


def _columns(graph: Graph, edges: list[GraphEdge]) -> dict[str, int]:
    """Longest-path layering: a node sits one column right of its furthest predecessor."""
    preds: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        preds[edge.target].append(edge.source)
    column: dict[str, int] = {}

    def place(node: str, trail: frozenset = frozenset()) -> int:
        if node in column:
            return column[node]
        if node in trail:
            return 0
        column[node] = max((place(p, trail | {node}) + 1 for p in preds[node]), default=0)
        return column[node]

    for node in graph.nodes:
        place(node)
    return column


def _fold(graph: Graph, columns: dict[int, list[str]]) -> None:
    """Replace the least connected nodes of an over-full column by one summary node."""
    degree: dict[str, int] = defaultdict(int)
    for edge in graph.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    for index, members in columns.items():
        if len(members) <= MAX_PER_COLUMN:
            continue
        members.sort(key=lambda n: (not graph.nodes[n].focus, -degree[n], graph.nodes[n].label))
        hidden = set(members[MAX_PER_COLUMN - 1:])
        summary = f"more:{index}"
        graph.nodes[summary] = GraphNode(summary, "more", "more", f"+{len(hidden)} more",
                                         "; ".join(sorted(graph.nodes[n].title for n in hidden)))
        for node in hidden:
            del graph.nodes[node]
        rewired = {}
        for edge in graph.edges:
            source = summary if edge.source in hidden else edge.source
            target = summary if edge.target in hidden else edge.target
            if source != target:
                rewired.setdefault(
                    (source, target),
                    GraphEdge(source, target, "" if summary in (source, target) else edge.label, edge.title),
                )
        graph.edges[:] = list(rewired.values())
        columns[index] = members[: MAX_PER_COLUMN - 1] + [summary]


def _order(columns: dict[int, list[str]], edges: list[GraphEdge]) -> None:
    """Barycentre ordering, sweeping right then left a few times."""
    neighbours_left: dict[str, list[str]] = defaultdict(list)
    neighbours_right: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        neighbours_left[edge.target].append(edge.source)
        neighbours_right[edge.source].append(edge.target)
    indices = sorted(columns)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        sequence = indices[1:] if forward else list(reversed(indices[:-1]))
        for index in sequence:
            reference = neighbours_left if forward else neighbours_right
            position = {n: i for members in columns.values() for i, n in enumerate(members)}

            def centre(node: str, reference=reference, position=position) -> float:
                linked = [position[n] for n in reference[node] if n in position]
                return sum(linked) / len(linked) if linked else position[node]

            columns[index].sort(key=centre)


def layout(graph: Graph) -> Layout:
    """Positions for every node of ``graph``, left (upstream) to right (downstream)."""
    result = Layout()
    if not graph.nodes:
        return result
    column_of = _columns(graph, _acyclic(graph))
    columns: dict[int, list[str]] = defaultdict(list)
    for node in sorted(graph.nodes, key=lambda n: graph.nodes[n].label):
        columns[column_of.get(node, 0)].append(node)
    _fold(graph, columns)
    _order(columns, graph.edges)
    tallest = max(len(members) for members in columns.values())
    height = tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    for index, members in columns.items():
        used = len(members) * NODE_HEIGHT + (len(members) - 1) * ROW_GAP
        top = MARGIN + (height - used) / 2
        for row, node in enumerate(members):
            result.nodes[node] = Placed(graph.nodes[node], MARGIN + index * (NODE_WIDTH + COLUMN_GAP),
                                        top + row * (NODE_HEIGHT + ROW_GAP))
    result.edges = [e for e in graph.edges if e.source in result.nodes and e.target in result.nodes]
    result.width = MARGIN * 2 + (max(columns) + 1) * NODE_WIDTH + max(columns) * COLUMN_GAP
    result.height = MARGIN * 2 + height
    return result

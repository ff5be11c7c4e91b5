"""Drawing a laid-out lineage graph as SVG on the server: no JavaScript, layers colour-coded.

Every piece of text is escaped here, so the result is safe to put in a page as is.
"""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lineage.services.graph import Graph
from lineage.services.layout import Layout, Placed, layout

# layer → (fill, stroke, caption)
COLOURS: dict[str, tuple[str, str, str]] = {
    "source": ("#eceff1", "#546e7a", "source"),
    "explore": ("#fff3e0", "#ef6c00", "explore"),
    "chart": ("#e3f2fd", "#1565c0", "chart"),
    "navigate": ("#e8f5e9", "#2e7d32", "navigate"),
    "feature": ("#f3e5f5", "#6a1b9a", "feature version"),
    "external": ("#fafafa", "#757575", "external"),
    "job": ("#ffffff", "#37474f", "job"),
    "more": ("#f5f5f5", "#9e9e9e", "more"),
}
LEGEND_HEIGHT = 34
CHAR_WIDTH = 6.8
MAX_CHARS = 27


def _fit(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(placed: Placed) -> str:
    node = placed.node
    fill, stroke, caption = COLOURS.get(node.layer, COLOURS["external"])
    dash = ' stroke-dasharray="5 3"' if node.layer in ("job", "more") else ""
    width = 3 if node.focus else 1.5
    radius = 18 if node.layer == "job" else 6
    box = (
        f'<rect x="{placed.x:.1f}" y="{placed.y:.1f}" width="{placed.width}" height="{placed.height}" '
        f'rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
        f'<text x="{placed.x + 10:.1f}" y="{placed.y + 19:.1f}" font-size="13" font-weight="600" '
        f'fill="#212121">{escape(_fit(node.label))}</text>'
        f'<text x="{placed.x + 10:.1f}" y="{placed.y + 35:.1f}" font-size="11" fill="{stroke}">'
        f'{escape(caption)}</text>'
    )
    body = (
        f'<g class="lineage-node lineage-{escape(node.layer)}"><title>{escape(node.title)}</title>{box}</g>'
    )
    if node.url:
        return f'<a href="{escape(node.url)}">{body}</a>'
    return body


def _edge(layout_: Layout, source: str, target: str, label: str, title: str) -> str:
    a, b = layout_.nodes[source], layout_.nodes[target]
    x1, y1 = a.x + a.width, a.y + a.height / 2
    x2, y2 = b.x, b.y + b.height / 2
    if x2 <= x1:  # a back edge in a cycle: loop around below
        bend = max(a.y, b.y) + a.height + 30
        path = f"M{x1:.1f},{y1:.1f} C{x1 + 60:.1f},{bend:.1f} {x2 - 60:.1f},{bend:.1f} {x2:.1f},{y2:.1f}"
        mid_x, mid_y = (x1 + x2) / 2, bend - 8
    else:
        dx = (x2 - x1) / 2
        path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
    parts = [
        f'<path d="{path}" fill="none" stroke="#78909c" stroke-width="1.4" marker-end="url(#lineage-arrow)"/>'
    ]
    if label:
        text = _fit(label, 22)
        width = len(text) * CHAR_WIDTH + 10
        parts.append(
            f'<rect x="{mid_x - width / 2:.1f}" y="{mid_y - 10:.1f}" width="{width:.1f}" height="18" rx="4" '
            f'fill="#ffffff" fill-opacity="0.92" stroke="#cfd8dc"/>'
            f'<text x="{mid_x:.1f}" y="{mid_y + 3:.1f}" font-size="11" text-anchor="middle" fill="#37474f">'
            f'{escape(text)}</text>'
        )
    tooltip = escape(title or label or "")
    return f'<g class="lineage-edge"><title>{tooltip}</title>{"".join(parts)}</g>'


def _legend(layers: list[str], top: float) -> str:
    x = 20.0
    items = []
    for layer in layers:
        fill, stroke, caption = COLOURS[layer]
        items.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="14" height="14" rx="3" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + 20:.1f}" y="{top + 11:.1f}" font-size="11" fill="#455a64">'
            f"{escape(caption)}</text>"
        )
        x += 34 + len(caption) * CHAR_WIDTH
    return "".join(items)


def render(graph: Graph, *, title: str = "Lineage") -> SafeString:
    """The graph as an ``<svg>`` element, sized to fit, with a legend of the layers it shows."""
    placed = layout(graph)
    if not placed.nodes:
        return mark_safe("")
    order = [layer for layer in COLOURS if any(p.node.layer == layer for p in placed.nodes.values())]
    width = max(placed.width, 420)
    height = placed.height + LEGEND_HEIGHT
    edges = "".join(_edge(placed, e.source, e.target, e.label, e.title) for e in placed.edges)
    nodes = "".join(_node(p) for p in placed.nodes.values())
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage-graph" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>"
        '<defs><marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#78909c"/></marker></defs>'
        f"{edges}{nodes}{_legend(order, placed.height + 8)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above went through escape()

"""How quality numbers look on the pages: tones for badges, the trend chart as inline SVG."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape

from quality.choices import CheckOutcome, GateOutcome

GOOD, WARN = 0.95, 0.8
COLOURS = {
    "overall": "#1f2937", "completeness": "#1565c0", "uniqueness": "#6a1b9a", "timeliness": "#ef6c00",
    "validity": "#2e7d32", "accuracy": "#c62828", "consistency": "#00838f",
}


def score_tone(score: float | None, threshold: float | None = None) -> str:
    """``good``, ``warn`` or ``bad`` (CSS badge classes) for a 0..1 score, against its threshold if any."""
    if score is None:
        return ""
    if threshold is not None:
        return "good" if score >= threshold else ("warn" if score >= threshold - 0.1 else "bad")
    return "good" if score >= GOOD else ("warn" if score >= WARN else "bad")


def gate_tone(outcome: str) -> str:
    tones = {GateOutcome.PASSED: "good", GateOutcome.WARNED: "warn", GateOutcome.BLOCKED: "bad"}
    return tones.get(outcome, "")


def check_tone(outcome: str) -> str:
    return {CheckOutcome.PASS: "good", CheckOutcome.WARN: "warn", CheckOutcome.FAIL: "bad",
            CheckOutcome.ERROR: "bad"}.get(outcome, "")


@dataclass(frozen=True)
class ChartSize:
    width: int = 640
    height: int = 220
    left: int = 40
    right: int = 110
    top: int = 10
    bottom: int = 24


def trend_svg(points: list, series: tuple[str, ...] = tuple(COLOURS), size: ChartSize = ChartSize()) -> str:
    """A line chart of scores (0..1) over reports, rendered on the server as an SVG string.

    ``points`` are ``quality.services.history.TrendPoint``s, oldest first.
    """
    if not points:
        return ""
    plot_w = size.width - size.left - size.right
    plot_h = size.height - size.top - size.bottom
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, score: float) -> str:
        return f"{size.left + i * step:.1f},{size.top + (1 - score) * plot_h:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size.width} {size.height}" role="img" '
        f'class="quality-trend" aria-label="Quality scores over the last {len(points)} reports">'
    ]
    for tick in (0.0, 0.5, 0.8, 0.95, 1.0):
        y = size.top + (1 - tick) * plot_h
        parts.append(f'<line x1="{size.left}" x2="{size.left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{size.left - 4}" y="{y + 4:.1f}" font-size="10" '
                     f'text-anchor="end">{tick:g}</text>')
    for n, name in enumerate(series):
        values = [(i, p.overall if name == "overall" else p.scores.get(name)) for i, p in enumerate(points)]
        values = [(i, v) for i, v in values if v is not None]
        if not values:
            continue
        colour = COLOURS.get(name, "#555")
        width = 2.5 if name == "overall" else 1.2
        path = " ".join(xy(i, v) for i, v in values)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" points="{path}">'
                     f"<title>{escape(name)}</title></polyline>")
        for i, v in values:
            point = points[i]
            cx, cy = xy(i, v).split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"><title>{escape(name)} '
                         f"{v:.3f} · run {point.run_id} · {escape(point.created[:16])}</title></circle>")
        legend_y = size.top + 12 + n * 14
        parts.append(f'<text x="{size.width - size.right + 8}" y="{legend_y}" font-size="11" '
                     f'fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)

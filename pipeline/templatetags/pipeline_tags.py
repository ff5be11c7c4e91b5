"""Template helpers for pipeline pages: durations, elapsed time, safe links."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch
from django.utils import timezone

register = template.Library()


@register.filter
def seconds(value) -> str:
    """``0.42 s``, ``12.3 s``, ``4 min 05 s``, ``2 h 03 min``; an empty string for nothing."""
    if value in (None, ""):
        return ""
    total = float(value)
    if total < 1:
        return f"{total:.2f} s"
    if total < 60:
        return f"{total:.1f} s"
    minutes, secs = divmod(int(round(total)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@register.filter
def elapsed(run) -> float | None:
    """Seconds a run took, or has taken so far while it runs."""
    if run.duration is not None:
        return run.duration
    if run.started_at and not run.finished:
        return (timezone.now() - run.started_at).total_seconds()
    return None


@register.filter
def filesize(value) -> str:
    """Bytes in the unit people read (``1.4 MB``)."""
    if value in (None, ""):
        return ""
    size = float(value)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""


@register.simple_tag
def object_url(obj) -> str:
    """``obj.get_absolute_url()``, or an empty string while the page it names is not built yet."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@register.filter
def row_number(row: dict):
    """A rejected row's number in the file (templates cannot read the ``_atlas_row`` key directly)."""
    return row.get("_atlas_row")

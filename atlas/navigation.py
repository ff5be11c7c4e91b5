"""The nine areas of the Atlas UI, shown in the base template's navigation."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str


SECTIONS: tuple[Section, ...] = (
    Section("Dashboard", "dashboard"),
    Section("Upload & runs", "pipeline:run_list"),
    Section("Quality", "quality:report_list"),
    Section("PII", "compliance:pii"),
    Section("Catalog", "catalog:dataset_list"),
    Section("Features", "features:index"),
    Section("GDPR", "compliance:gdpr"),
    Section("Lineage", "lineage:index"),
    Section("Connectors", "connectors:index"),
)


def _resolve(section: Section) -> str | None:
    try:
        return reverse(section.url_name)
    except NoReverseMatch:
        return None


def navigation(request) -> dict:
    """Context processor: the sections, each with its URL (None while the area is not built)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_sections": ()}
    path = request.path
    items = []
    for section in SECTIONS:
        url = _resolve(section)
        active = bool(url) and (path == url if url == "/" else path.startswith(url))
        items.append({"label": section.label, "url": url, "active": active})
    return {"nav_sections": items}

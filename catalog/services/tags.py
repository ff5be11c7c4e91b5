"""Tags: free-form ones people set, and system tags Atlas derives from PII findings.

People's tags live in ``tags`` and Atlas's in ``system_tags`` on datasets and
columns, so a re-ingestion recomputes the system's and never touches a tag a
person set.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction

from catalog.choices import TagKind
from catalog.models import Column, Dataset, Tag

PII_TAG = "PII"
PII_ENTITY_PREFIX = "PII:"
MAX_TAG_LENGTH = 100


class TagError(ValueError):
    """A tag name that cannot be used; the message says why."""


def clean_tag_names(names: Iterable[str] | str) -> list[str]:
    """Trimmed, de-duplicated tag names; a string is split on commas."""
    if isinstance(names, str):
        names = names.split(",")
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = re.sub(r"\s+", " ", str(raw or "")).strip()
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagError(f"The tag '{name[:30]}…' is longer than {MAX_TAG_LENGTH} characters; shorten it.")
        if name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def get_or_create_tags(names: Iterable[str] | str, *, kind: str = TagKind.FREE) -> list[Tag]:
    """Tags for ``names``, created when new; an existing tag is matched case-insensitively."""
    tags = []
    for name in clean_tag_names(names):
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, kind=kind)
        tags.append(tag)
    return tags


def pii_tag_names(findings: Iterable[dict]) -> set[str]:
    """System tags for one column's PII findings: ``PII`` plus ``PII:<ENTITY>`` per entity."""
    entities = {f["entity"] for f in findings if f.get("entity")}
    if not entities:
        return set()
    return {PII_TAG} | {f"{PII_ENTITY_PREFIX}{entity}" for entity in entities}


def _system_tags(names: set[str]) -> list[Tag]:
    tags = []
    for name in sorted(names):
        tag, _ = Tag.objects.get_or_create(
            name=name, defaults={"kind": TagKind.SYSTEM, "description": "Applied by Atlas from PII findings."}
        )
        tags.append(tag)
    return tags


def apply_system_tags(column: Column, names: set[str]) -> None:
    """Make the column's system tags exactly ``names``; its people-set tags stay as they are."""
    column.system_tags.set(_system_tags(names))


def refresh_dataset_system_tags(dataset: Dataset) -> None:
    """A dataset carries every system tag of its columns that are still in the data."""
    names = set(
        Tag.objects.filter(system_columns__dataset=dataset, system_columns__present=True)
        .values_list("name", flat=True)
    )
    dataset.system_tags.set(_system_tags(names))


@transaction.atomic
def add_tags(target: Dataset | Column, names: Iterable[str] | str) -> list[Tag]:
    """Add people's tags to a dataset or column; returns the tags added."""
    tags = get_or_create_tags(names)
    target.tags.add(*tags)
    return tags


@transaction.atomic
def remove_tags(target: Dataset | Column, names: Iterable[str] | str) -> list[Tag]:
    """Remove people's tags from a dataset or column (system tags are Atlas's to change)."""
    wanted = {n.lower() for n in clean_tag_names(names)}
    removed = [t for t in target.tags.all() if t.name.lower() in wanted]
    target.tags.remove(*removed)
    return removed


@transaction.atomic
def set_tags(target: Dataset | Column, names: Iterable[str] | str) -> list[Tag]:
    """Replace the people-set tags of a dataset or column with ``names``."""
    tags = get_or_create_tags(names)
    target.tags.set(tags)
    return tags

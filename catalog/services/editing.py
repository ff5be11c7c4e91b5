"""What stewards change by hand: descriptions, owners and tags of datasets and columns.

A run holds its dataset's row lock until it commits; an edit waits a few
seconds for it and otherwise says so, instead of hanging the page. Only the
edited fields are written, so an edit never undoes what a run measured. The
search index follows every change (``catalog.signals``).
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction

from catalog.models import Column, Dataset
from catalog.services import tags as tag_service

LOCK_TIMEOUT = "5s"


class EditError(ValueError):
    """An edit that could not be made; the message says what to do."""


def _lock(model, pk: int):
    """The row, locked for the edit; raises EditError when a run holds it for longer than LOCK_TIMEOUT."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        return model.objects.select_for_update().get(pk=pk)
    except OperationalError as exc:
        raise EditError(
            "A run is updating this dataset right now. Try again when it has finished."
        ) from exc


def resolve_owners(usernames: Iterable[str]) -> list:
    """Users for ``usernames``; raises EditError naming any that do not exist."""
    names = [n.strip() for n in usernames if n and n.strip()]
    users = list(get_user_model().objects.filter(username__in=names))
    missing = sorted(set(names) - {u.username for u in users})
    if missing:
        raise EditError(f"No user called {', '.join(missing)}; owners must be Atlas users.")
    return users


def update_dataset(
    dataset: Dataset, *, description: str | None = None, owners: Iterable | None = None,
    tags: Iterable[str] | str | None = None,
) -> Dataset:
    """Change a dataset's description, owners (users) and people-set tags; ``None`` leaves a field alone."""
    try:
        with transaction.atomic():
            locked = _lock(Dataset, dataset.pk)
            if description is not None:
                locked.description = description.strip()
                locked.save(update_fields=["description", "updated"])
            if owners is not None:
                locked.owners.set(list(owners))
            if tags is not None:
                tag_service.set_tags(locked, tags)
    except tag_service.TagError as exc:
        raise EditError(str(exc)) from exc
    dataset.refresh_from_db()
    return dataset


def update_column(
    column: Column, *, description: str | None = None, tags: Iterable[str] | str | None = None,
) -> Column:
    """Change a column's description and people-set tags; ``None`` leaves a field alone."""
    try:
        with transaction.atomic():
            locked = _lock(Column, column.pk)
            if description is not None:
                locked.description = description.strip()
                locked.save(update_fields=["description", "updated"])
            if tags is not None:
                tag_service.set_tags(locked, tags)
    except tag_service.TagError as exc:
        raise EditError(str(exc)) from exc
    column.refresh_from_db()
    return column


def change_tags(
    target: Dataset | Column, *, add: Iterable[str] | str = (), remove: Iterable[str] | str = ()
) -> None:
    """Add and remove people-set tags on a dataset or a column."""
    try:
        with transaction.atomic():
            locked = _lock(type(target), target.pk)
            if add:
                tag_service.add_tags(locked, add)
            if remove:
                tag_service.remove_tags(locked, remove)
    except tag_service.TagError as exc:
        raise EditError(str(exc)) from exc


def acknowledge_breaking_change(dataset: Dataset) -> None:
    """A steward has seen the breaking schema change: the flag comes off until the next one."""
    with transaction.atomic():
        locked = _lock(Dataset, dataset.pk)
        locked.breaking_change = False
        locked.save(update_fields=["breaking_change", "updated"])
    dataset.breaking_change = False

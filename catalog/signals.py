"""Keeping the search index current whoever edits the catalog: the pages, the API, the admin or a shell.

Only what search covers triggers a re-index: names, descriptions and people's
tags. Runs index their dataset once at the end of the catalog stage (a run
saves the dataset in full), so a wide first ingest does not re-index per column.
"""
from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from catalog.models import Column, Dataset, Tag
from catalog.services.search import index_dataset, index_datasets

SEARCHED = {"name", "description"}


def _touches_search(update_fields) -> bool:
    return update_fields is None or bool(SEARCHED & set(update_fields))


def dataset_saved(sender, instance: Dataset, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and _touches_search(update_fields):
        index_dataset(instance)


def column_saved(sender, instance: Column, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    # A run creates columns one by one; its dataset is indexed once the run has saved it.
    if not raw and not created and _touches_search(update_fields):
        index_dataset(instance.dataset)


def tags_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # tag.datasets.add(...) / tag.columns.add(...)
        model = kwargs.get("model")
        if model is Dataset:
            index_datasets(Dataset.objects.filter(pk__in=pk_set or ()))
        elif model is Column:
            index_datasets(Dataset.objects.filter(columns__pk__in=pk_set or ()).distinct())
        return
    index_dataset(instance if isinstance(instance, Dataset) else instance.dataset)


def _tagged_datasets(tag: Tag):
    return Dataset.objects.filter(pk__in=Dataset.objects.filter(tags=tag).values("pk").union(
        Column.objects.filter(tags=tag).values("dataset_id")))


def tag_saved(sender, instance: Tag, created: bool, raw: bool = False, **kwargs) -> None:
    if not raw and not created:
        index_datasets(_tagged_datasets(instance))


def tag_deleting(sender, instance: Tag, **kwargs) -> None:
    instance._atlas_affected = list(_tagged_datasets(instance).values_list("pk", flat=True))


def tag_deleted(sender, instance: Tag, **kwargs) -> None:
    index_datasets(Dataset.objects.filter(pk__in=getattr(instance, "_atlas_affected", [])))


def connect() -> None:
    """Connect the handlers (from ``CatalogConfig.ready``)."""
    post_save.connect(dataset_saved, sender=Dataset, dispatch_uid="catalog.index.dataset")
    post_save.connect(column_saved, sender=Column, dispatch_uid="catalog.index.column")
    m2m_changed.connect(tags_changed, sender=Dataset.tags.through, dispatch_uid="catalog.index.dataset_tags")
    m2m_changed.connect(tags_changed, sender=Column.tags.through, dispatch_uid="catalog.index.column_tags")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="catalog.index.tag")
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="catalog.index.tag_deleting")
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid="catalog.index.tag_deleted")

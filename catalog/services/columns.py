"""Keeping a dataset's columns: original names map to stable warehouse names."""
from __future__ import annotations

from atlas.warehouse import safe_identifier
from catalog.models import Column, Dataset
from pipeline.errors import PipelineError
from pipeline.sources.base import MAX_COLUMNS
from pipeline.stages.base import ColumnPlan


def resolve_columns(dataset: Dataset, headers: list[str]) -> list[ColumnPlan]:
    """Plans for this run's columns: known names keep their warehouse name, new ones get a fresh one.

    Columns the dataset had that this file lacks come last with ``in_source=False``:
    they stay in every layer and are null for the new rows.
    """
    known = {c.name: c for c in dataset.columns.all()}
    taken = {c.warehouse_name for c in known.values()}
    position = max((c.position for c in known.values()), default=0)
    plans: list[ColumnPlan] = []
    for header in headers:
        column = known.get(header)
        if column is None:
            warehouse_name = safe_identifier(header, taken)
            taken.add(warehouse_name)
            position += 1
            column = Column.objects.create(
                dataset=dataset, name=header, warehouse_name=warehouse_name, position=position
            )
            known[header] = column
            plans.append(ColumnPlan(header, warehouse_name, column.data_type, is_new=True))
        else:
            plans.append(ColumnPlan(header, column.warehouse_name, column.data_type))
    in_file = set(headers)
    for column in sorted(known.values(), key=lambda c: c.position):
        if column.name not in in_file:
            plans.append(ColumnPlan(column.name, column.warehouse_name, column.data_type, in_source=False))
    if len(plans) > MAX_COLUMNS:
        # Columns only ever join a dataset, so files with different columns add up.
        raise PipelineError(
            f"With this file's {sum(p.is_new for p in plans):,} new columns the dataset '{dataset.name}' "
            f"would have {len(plans):,} columns; Atlas keeps at most {MAX_COLUMNS:,} per dataset "
            "(PostgreSQL's limit). Load this file into a dataset of its own."
        )
    return plans

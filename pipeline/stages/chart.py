"""Chart: typed, validated rows; rows that fail a cast go to ``<table>__rejected`` with the reason."""

from __future__ import annotations

import json

from psycopg import errors as pg_errors
from psycopg import sql

from atlas import warehouse
from catalog.choices import ColumnType
from pipeline.errors import PipelineError
from pipeline.stages.base import ColumnPlan, RunContext, Stage
from pipeline.stages.explore import SYSTEM_TYPES, ensure_layer_table, finish_layer_table
from pipeline.types import PG_TYPES, TYPE_FOR_PG, cast_expression, valid_expression

REJECTED_COLUMNS = [
    ("_atlas_run_id", "bigint NOT NULL"),
    ("_atlas_row", "bigint"),
    ("column_name", "text"),
    ("original_column", "text"),
    ("value", "text"),
    ("reason", "text NOT NULL"),
    ("record", "jsonb"),
    ("_atlas_loaded_at", "timestamptz NOT NULL DEFAULT now()"),
]
# Any data exception (SQLSTATE class 22) from the cast: a value the type refuses, however it says so
# (e.g. 22009 for a time zone offset of +99:00).
CAST_ERRORS = (
    pg_errors.DataError,
    pg_errors.InvalidParameterValue,
)
TYPE_LABELS = dict(ColumnType.choices)
# jsonb_build_object takes at most 100 arguments: 50 key/value pairs per call.
JSON_PAIRS_PER_CALL = 50


def choose_type(column: ColumnPlan, declared: dict[str, str], existing_pg_type: str | None) -> str:
    """Declared type, else the type chart already has, else what inference found."""
    if column.name in declared:
        return declared[column.name]
    if existing_pg_type:
        return TYPE_FOR_PG.get(existing_pg_type, ColumnType.TEXT)
    return column.inferred_type


def record_expression(columns: list[ColumnPlan]) -> sql.Composable:
    """The explore row as JSON keyed by the original column names."""
    calls = []
    for start in range(0, len(columns), JSON_PAIRS_PER_CALL):
        pairs = sql.SQL(", ").join(
            sql.SQL("{}, {}").format(sql.Literal(c.name), sql.Identifier("e", c.warehouse_name))
            for c in columns[start : start + JSON_PAIRS_PER_CALL]
        )
        calls.append(sql.SQL("jsonb_build_object({})").format(pairs))
    return sql.SQL(" || ").join(calls) if calls else sql.SQL("'{}'::jsonb")


class ChartStage(Stage):
    """Casts the run's explore rows into ``chart.<table>`` inside PostgreSQL."""

    name = "chart"
    label = "Typing and validating into chart"
    weight = 2.0
    runs_in_database = True

    def run(self, context: RunContext) -> None:
        cursor = context.cursor
        table = context.table
        existing = warehouse.table_columns(cursor, "chart", table)
        declared = context.dataset.declared_types or {}
        for column in context.columns:
            column.data_type = choose_type(column, declared, existing.get(column.warehouse_name))
        self._retype(context, existing)
        # A first run writes chart with CREATE TABLE AS, whose casts run in parallel workers.
        created = not existing
        if not created:
            ensure_layer_table(
                cursor, "chart", table, [(c.warehouse_name, PG_TYPES[c.data_type]) for c in context.columns]
            )
        if not warehouse.table_exists(cursor, "chart", context.dataset.rejected_table_name):
            warehouse.create_table(cursor, "chart", context.dataset.rejected_table_name, REJECTED_COLUMNS)
        self._reject_unparsed(context)
        present = context.present_columns()
        guarded = [c for c in present if c.data_type not in (c.inferred_type, ColumnType.TEXT)]
        cursor.execute("SAVEPOINT atlas_chart")
        try:
            self._load(context, present, guarded, created)
        except CAST_ERRORS:
            # Inference missed a value PostgreSQL refuses (say 2024-02-30): check every typed column.
            cursor.execute("ROLLBACK TO SAVEPOINT atlas_chart")
            context.progress.update(0.3, "re-checking every value against its type")
            self._load(context, present, [c for c in present if c.data_type != ColumnType.TEXT], created)
        cursor.execute("RELEASE SAVEPOINT atlas_chart")
        if created:
            finish_layer_table(cursor, "chart", table)
        context.counts["rejected"] = warehouse.row_count(
            cursor, "chart", context.dataset.rejected_table_name, context.run_id
        )
        context.progress.update(
            1.0, f"{context.counts['chart']:,} rows in chart, {context.counts['rejected']:,} rejected"
        )

    def _retype(self, context: RunContext, existing: dict[str, str]) -> None:
        """A declared type can change: bring chart's column to it, or say why its rows cannot follow."""
        for column in context.columns:
            have = existing.get(column.warehouse_name)
            if have is None or TYPE_FOR_PG.get(have) == column.data_type:
                continue
            pg_type = PG_TYPES[column.data_type]
            context.cursor.execute("SAVEPOINT atlas_retype")
            try:
                # Through text, so every pair of types has a cast.
                context.cursor.execute(
                    sql.SQL("ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty}").format(
                        t=warehouse.table("chart", context.table),
                        c=sql.Identifier(column.warehouse_name),
                        ty=sql.SQL(pg_type),
                    )
                )
            except (pg_errors.DataError, pg_errors.CannotCoerce) as exc:
                context.cursor.execute("ROLLBACK TO SAVEPOINT atlas_retype")
                raise PipelineError(
                    f"Column '{column.name}' is declared {TYPE_LABELS[column.data_type].lower()}, "
                    f"but chart already holds values that are not ({exc.diag.message_primary}). "
                    f"Declare the type it had, "
                    f"{TYPE_LABELS[TYPE_FOR_PG.get(have, ColumnType.TEXT)].lower()}, or text."
                ) from exc
            context.cursor.execute("RELEASE SAVEPOINT atlas_retype")

    def _reject_unparsed(self, context: RunContext) -> None:
        records = context.source.rejected if context.source else []
        if not records:
            return
        warehouse.copy_rows(
            context.cursor,
            "chart",
            context.dataset.rejected_table_name,
            ["_atlas_run_id", "_atlas_row", "value", "reason", "record"],
            ((context.run_id, r.row, r.text, r.reason, json.dumps({"raw": r.text})) for r in records),
        )

    def _load(
        self, context: RunContext, present: list[ColumnPlan], guarded: list[ColumnPlan], created: bool
    ) -> None:
        cursor = context.cursor
        explore = warehouse.table("explore", context.table)
        run_filter = sql.SQL("e._atlas_run_id = {}").format(sql.Literal(context.run_id))
        checks = [(c, valid_expression(c.warehouse_name, c.data_type)) for c in guarded]
        if checks:
            context.progress.update(0.1, f"checking {len(checks)} column(s) against their types")
            first_bad = sql.SQL("CASE {} END").format(
                sql.SQL(" ").join(
                    sql.SQL("WHEN NOT {} THEN {}").format(check, sql.Literal(i))
                    for i, (_, check) in enumerate(checks)
                )
            )
            names = sql.SQL("(ARRAY[{}])").format(
                sql.SQL(", ").join(sql.Literal(c.warehouse_name) for c, _ in checks)
            )
            originals = sql.SQL("(ARRAY[{}])").format(
                sql.SQL(", ").join(sql.Literal(c.name) for c, _ in checks)
            )
            values = sql.SQL("(ARRAY[{}])").format(
                sql.SQL(", ").join(sql.Identifier("e", c.warehouse_name) for c, _ in checks)
            )
            labels = sql.SQL("(ARRAY[{}])").format(
                sql.SQL(", ").join(sql.Literal(TYPE_LABELS[c.data_type].lower()) for c, _ in checks)
            )
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {rejected} "
                    "(_atlas_run_id, _atlas_row, column_name, original_column, value, reason, record) "
                    "SELECT e._atlas_run_id, e._atlas_row, {names}[b.i + 1], {originals}[b.i + 1], "
                    "{values}[b.i + 1], "
                    "format('%s is not a valid %s for column %s', quote_literal({values}[b.i + 1]), "
                    "{labels}[b.i + 1], {originals}[b.i + 1]), {record} "
                    "FROM {explore} e CROSS JOIN LATERAL (SELECT {first_bad} AS i) b "
                    "WHERE {run} AND b.i IS NOT NULL"
                ).format(
                    rejected=warehouse.table("chart", context.dataset.rejected_table_name),
                    names=names,
                    originals=originals,
                    values=values,
                    labels=labels,
                    record=record_expression(present),
                    explore=explore,
                    first_bad=first_bad,
                    run=run_filter,
                )
            )
            all_valid = sql.SQL(" AND ").join(check for _, check in checks)
        else:
            all_valid = sql.SQL("true")
        context.progress.update(0.4, "casting into chart")
        # A new table gets every column the dataset knows; an existing one already has them.
        written = context.columns if created else present
        expressions = [sql.SQL("e._atlas_run_id"), sql.SQL("e._atlas_row"), sql.SQL("e._atlas_loaded_at")] + [
            cast_expression(c.warehouse_name, c.data_type, trim=c.needs_trim or c in guarded)
            if c.in_source
            else sql.SQL("NULL")
            for c in written
        ]
        context.counts["chart"] = warehouse.select_into(
            cursor,
            "chart",
            context.table,
            SYSTEM_TYPES + [(c.warehouse_name, PG_TYPES[c.data_type]) for c in written],
            sql.SQL("SELECT {expressions} FROM {explore} e WHERE {run} AND {valid}").format(
                expressions=sql.SQL(", ").join(expressions), explore=explore, run=run_filter, valid=all_valid
            ),
            create=created,
        )

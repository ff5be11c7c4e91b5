"""Profile: per-column statistics of the run's chart rows in one aggregate pass; key inference."""

from __future__ import annotations

from psycopg import sql

from atlas import distinct, warehouse
from catalog.choices import ColumnType, LoadMode
from pipeline.errors import PipelineError
from pipeline.stages.base import ColumnPlan, RunContext, Stage

ORDERED = {ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TIMESTAMP}
MAX_KEY_CANDIDATES = 2
MAX_SELECT_ENTRIES = 1600


def _stat_expressions(column: ColumnPlan) -> list[tuple[str, sql.Composable]]:
    ref = sql.Identifier(column.warehouse_name)
    stats = [("non_null", sql.SQL("count({})").format(ref))]
    if column.data_type in ORDERED:
        stats += [
            ("min", sql.SQL("min({})::text").format(ref)),
            ("max", sql.SQL("max({})::text").format(ref)),
        ]
    if column.data_type in (ColumnType.INTEGER, ColumnType.DECIMAL):
        stats.append(("mean", sql.SQL("avg({})::float8").format(ref)))
    if column.data_type == ColumnType.TEXT:
        # Characters are bytes in ASCII text, and octet_length reads the length stored with the value
        # where length() counts the characters of every value.
        length = "octet_length" if column.ascii_only else "length"
        stats.append(("max_length", sql.SQL("max({}({}))").format(sql.SQL(length), ref)))
    if column.data_type == ColumnType.BOOLEAN:
        stats.append(("true_count", sql.SQL("count(*) FILTER (WHERE {})").format(ref)))
    return stats


class ProfileStage(Stage):
    """Counts, nulls, ranges and means per column, and the dataset key when none was declared."""

    name = "profile"
    label = "Profiling"
    weight = 0.5
    runs_in_database = True  # one aggregate query; what Python does with its row is negligible

    def run(self, context: RunContext) -> None:
        columns = context.present_columns()
        plan = [(c, name, expr) for c in columns for name, expr in _stat_expressions(c)]
        values: list = []
        # One aggregate pass, or one per slice when a wide table passes PostgreSQL's 1,664-entry select list.
        for start in range(0, max(len(plan), 1), MAX_SELECT_ENTRIES):
            chunk = plan[start : start + MAX_SELECT_ENTRIES]
            selects = [sql.SQL("count(*)")] + [expr for _, _, expr in chunk]
            context.cursor.execute(
                sql.SQL("SELECT {} FROM {} WHERE _atlas_run_id = %s").format(
                    sql.SQL(", ").join(selects), warehouse.table("chart", context.table)
                ),
                [context.run_id],
            )
            row = context.cursor.fetchone()
            rows = row[0]
            values.extend(row[1:])
        profile: dict[str, dict] = {c.warehouse_name: {"rows": rows} for c in columns}
        for (column, name, _), value in zip(plan, values, strict=True):
            profile[column.warehouse_name][name] = value
        for stats in profile.values():
            stats["nulls"] = stats["rows"] - stats["non_null"]
            stats["null_share"] = round(stats["nulls"] / stats["rows"], 6) if stats["rows"] else 0.0
        context.profile = profile
        context.progress.update(0.7, "looking for the dataset key")
        context.key = self._key(context, columns, profile, rows)

    def _key(self, context: RunContext, columns: list[ColumnPlan], profile: dict, rows: int) -> list[str]:
        by_name = {c.name: c for c in context.columns}
        declared = context.run.key_columns or context.dataset.key_columns
        if declared:
            in_file = {c.name for c in columns}
            missing = [name for name in declared if name not in in_file]
            if missing and context.run.load_mode != LoadMode.APPEND:
                # Matching on part of a key, or on a column null in every row, would corrupt navigate.
                raise PipelineError(
                    f"The key column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
                    f"{'are' if len(missing) > 1 else 'is'} not in this file, "
                    f"so a {context.run.load_mode} run "
                    "cannot match its rows on the key. The file's columns are: "
                    f"{', '.join(repr(c.name) for c in columns[:20])}{', …' if len(columns) > 20 else ''}. "
                    "Name the right key column(s) with --key, or fix the file, and retry."
                )
            key = [by_name[name] for name in declared if name in by_name]
            if context.run.load_mode != LoadMode.APPEND and all(profile[c.warehouse_name]["nulls"] == 0
                                                               for c in key):
                context.extra["key_unique"] = self._unique(context, key, rows)
            return [c.warehouse_name for c in key]
        if rows == 0 or context.run.load_mode == LoadMode.APPEND:
            # Appending needs no key; looking for one costs a pass over every candidate column.
            return []
        candidates = [
            c
            for c in columns
            if c.data_type in (ColumnType.INTEGER, ColumnType.TEXT)
            and profile[c.warehouse_name]["nulls"] == 0
        ]
        named = distinct.IDENTIFIER_NAME
        candidates.sort(key=lambda c: (not named.search(c.warehouse_name), context.columns.index(c)))
        for column in candidates[:MAX_KEY_CANDIDATES]:
            if self._unique(context, [column], rows):
                context.extra["key_inferred"] = True
                context.extra["key_unique"] = True
                return [column.warehouse_name]
        return []

    def _unique(self, context: RunContext, columns: list[ColumnPlan], rows: int) -> bool:
        """True when no two of the run's ``rows`` rows share a value of ``columns`` (never NULL here).

        Up to ``distinct.MAX_ROWS`` rows, the values (integers as they are,
        anything else hashed) are compared in numpy; past it, PostgreSQL
        groups them.
        """
        chart = warehouse.table("chart", context.table)
        if rows <= distinct.MAX_ROWS:
            if len(columns) == 1 and columns[0].data_type in (ColumnType.INTEGER, ColumnType.TEXT):
                value = distinct.identifying_value(columns[0].warehouse_name,
                                                   columns[0].data_type == ColumnType.TEXT)
            else:
                value = sql.SQL("hash_record_extended(ROW({}), 0)").format(
                    warehouse.column_list([c.warehouse_name for c in columns]))
            run = sql.SQL("_atlas_run_id = {}").format(sql.Literal(context.run_id))
            return distinct.all_distinct(context.cursor.connection, chart, run, value, rows)
        context.cursor.execute(
            sql.SQL(
                "SELECT NOT EXISTS (SELECT 1 FROM {} WHERE _atlas_run_id = %s "
                "GROUP BY {} HAVING count(*) > 1)"
            ).format(chart, warehouse.column_list([c.warehouse_name for c in columns])),
            [context.run_id],
        )
        return context.cursor.fetchone()[0]

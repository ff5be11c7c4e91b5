"""Navigate: the business-ready current state, deduplicated on the key, masked per policy."""

from __future__ import annotations

import hashlib

from psycopg import errors as pg_errors
from psycopg import sql

from atlas import warehouse
from catalog.choices import LoadMode
from pipeline.errors import PipelineError
from pipeline.stages.base import RunContext, Stage
from pipeline.stages.explore import SYSTEM_TYPES, ensure_layer_table, finish_layer_table
from pipeline.types import PG_TYPES

SYSTEM = ["_atlas_run_id", "_atlas_row", "_atlas_loaded_at"]


class NavigateStage(Stage):
    """Publishes the run's chart rows to ``navigate.<table>`` by the dataset's load mode."""

    name = "navigate"
    label = "Publishing to navigate"
    weight = 2.0

    def run(self, context: RunContext) -> None:
        cursor = context.cursor
        table = context.table
        mode = context.run.load_mode
        if mode == LoadMode.MERGE and not context.key:
            raise PipelineError(
                "Merge needs a key, and none was declared or found (no column is unique and never empty). "
                "Declare the key column(s) with --key, or use the append or replace mode."
            )
        columns = [c for c in context.columns if c.warehouse_name not in context.navigate_dropped]
        wanted = []
        for column in columns:
            expression, pg_type = context.navigate_expressions.get(
                column.warehouse_name,
                (sql.Identifier("c", column.warehouse_name), PG_TYPES[column.data_type]),
            )
            wanted.append((column.warehouse_name, expression, pg_type))
        created = not warehouse.table_exists(cursor, "navigate", table)
        select = sql.SQL(", ").join(
            [sql.SQL("c._atlas_run_id"), sql.SQL("c._atlas_row"), sql.SQL("c._atlas_loaded_at")]
            + [expression for _, expression, _ in wanted]
        )
        source = self._source_rows(context)
        context.progress.update(0.3, f"publishing ({mode})")
        self._warn_about_empty_keys(context)
        if created:
            # A first publication is written with CREATE TABLE AS, its SELECT run in parallel workers.
            published = warehouse.select_into(
                cursor,
                "navigate",
                table,
                SYSTEM_TYPES + [(name, pg_type) for name, _, pg_type in wanted],
                sql.SQL("SELECT {} FROM ({}) c").format(select, source),
                create=True,
            )
            finish_layer_table(cursor, "navigate", table)
            if mode == LoadMode.MERGE:
                self._ensure_key_index(context)
            self._published(context, published, created)
            return
        ensure_layer_table(cursor, "navigate", table, [(name, pg_type) for name, _, pg_type in wanted])
        if mode == LoadMode.REPLACE:
            cursor.execute(sql.SQL("TRUNCATE {}").format(warehouse.table("navigate", table)))
        self._align(context, wanted)
        target = SYSTEM + [name for name, _, _ in wanted]
        insert = sql.SQL("INSERT INTO {navigate} ({target}) SELECT {select} FROM ({source}) c").format(
            navigate=warehouse.table("navigate", table),
            target=warehouse.column_list(target),
            select=select,
            source=source,
        )
        if mode == LoadMode.MERGE:
            self._ensure_key_index(context)
            updates = sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(name))
                for name in target
                if name not in context.key
            )
            insert = insert + sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(
                warehouse.column_list(context.key), updates
            )
        cursor.execute(insert)
        self._published(context, cursor.rowcount, created)

    def _published(self, context: RunContext, published: int, created: bool) -> None:
        mode = context.run.load_mode
        if mode == LoadMode.REPLACE or created:
            context.counts["navigate"] = published
        elif mode == LoadMode.APPEND:
            context.counts["navigate"] = context.dataset.navigate_rows + published
        else:  # a merge both inserts and updates; only a count says how many rows there are now
            context.counts["navigate"] = warehouse.row_count(context.cursor, "navigate", context.table)
        context.counts["published"] = published
        context.progress.update(1.0, f"{context.counts['navigate']:,} rows in navigate")

    def _warn_about_empty_keys(self, context: RunContext) -> None:
        """Rows without a key cannot be deduplicated and are left out of navigate: say how many."""
        if context.run.load_mode == LoadMode.APPEND or not context.key:
            return
        if not any(context.profile.get(k, {}).get("nulls") for k in context.key):
            return
        any_null = sql.SQL(" OR ").join(sql.SQL("{} IS NULL").format(sql.Identifier(k)) for k in context.key)
        context.cursor.execute(
            sql.SQL("SELECT count(*) FROM {} WHERE _atlas_run_id = %s AND ({})").format(
                warehouse.table("chart", context.table), any_null
            ),
            [context.run_id],
        )
        missing = context.cursor.fetchone()[0]
        if missing:
            names = ", ".join(c.name for c in context.columns if c.warehouse_name in context.key)
            context.warnings.append(
                f"{missing:,} row(s) have an empty key ({names}) and were not published to navigate; "
                "they are in chart."
            )

    def _source_rows(self, context: RunContext) -> sql.Composable:
        chart = warehouse.table("chart", context.table)
        run = sql.Literal(context.run_id)
        if context.run.load_mode == LoadMode.APPEND or not context.key:
            return sql.SQL("SELECT * FROM {} WHERE _atlas_run_id = {}").format(chart, run)
        key = warehouse.column_list(context.key)
        not_null = sql.SQL(" AND ").join(
            sql.SQL("{} IS NOT NULL").format(sql.Identifier(k)) for k in context.key
        )
        if context.extra.get("key_unique"):
            # Profile found every key once in this run: there is nothing to deduplicate.
            return sql.SQL("SELECT * FROM {} WHERE _atlas_run_id = {} AND {}").format(chart, run, not_null)
        # Latest wins: the last row for a key in the file is the one published.
        return sql.SQL(
            "SELECT DISTINCT ON ({key}) * FROM {chart} WHERE _atlas_run_id = {run} AND {not_null} "
            "ORDER BY {key}, _atlas_row DESC"
        ).format(key=key, chart=chart, run=run, not_null=not_null)

    def _align(self, context: RunContext, wanted: list[tuple]) -> None:
        """Bring existing navigate columns to the types this run publishes, and drop dropped ones."""
        cursor = context.cursor
        existing = warehouse.table_columns(cursor, "navigate", context.table)
        target = warehouse.table("navigate", context.table)
        for name in context.navigate_dropped & set(existing):
            cursor.execute(sql.SQL("ALTER TABLE {} DROP COLUMN {}").format(target, sql.Identifier(name)))
        for name, _, pg_type in wanted:
            have = existing.get(name)
            if have and _family(have) != pg_type:
                try:
                    cursor.execute("SAVEPOINT atlas_align")
                    # Through text, so every pair of types has a cast (bigint has none to boolean).
                    cursor.execute(
                        sql.SQL("ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::text::{ty}").format(
                            t=target, c=sql.Identifier(name), ty=sql.SQL(pg_type)
                        )
                    )
                    cursor.execute("RELEASE SAVEPOINT atlas_align")
                except (pg_errors.DataError, pg_errors.CannotCoerce) as exc:
                    cursor.execute("ROLLBACK TO SAVEPOINT atlas_align")
                    raise PipelineError(
                        f"Column {name} in navigate holds {have} values that cannot become {pg_type}. "
                        "Publish with the replace mode once, or keep the column's type."
                    ) from exc

    def _ensure_key_index(self, context: RunContext) -> None:
        # Named after the key, so a changed key gets its own index and the old key's is dropped:
        # ON CONFLICT needs a unique index on exactly the key, and the old one would refuse valid rows.
        name = f"{context.table[:40]}_key_{hashlib.md5(chr(0).join(context.key).encode()).hexdigest()[:8]}"
        index = sql.Identifier(name)
        context.cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND i.indisunique",
            [warehouse.table("navigate", context.table).as_string(context.cursor)],
        )
        for (stale,) in context.cursor.fetchall():
            if stale != name and (
                stale.startswith(f"{context.table[:40]}_key_") or stale == f"{context.table[:45]}_key_uniq"
            ):
                context.cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier("navigate", stale)))
        try:
            context.cursor.execute("SAVEPOINT atlas_key")
            context.cursor.execute(
                sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} ({})").format(
                    index, warehouse.table("navigate", context.table), warehouse.column_list(context.key)
                )
            )
            context.cursor.execute("RELEASE SAVEPOINT atlas_key")
        except pg_errors.UniqueViolation as exc:
            context.cursor.execute("ROLLBACK TO SAVEPOINT atlas_key")
            raise PipelineError(
                "Navigate already holds several rows for the same key, so it cannot be merged on "
                f"{', '.join(context.key)}. Publish once with the replace mode to start clean."
            ) from exc


def _family(pg_type: str) -> str:
    return {"timestamp with time zone": "timestamptz"}.get(pg_type, pg_type)

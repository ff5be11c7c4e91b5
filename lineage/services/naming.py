"""How Atlas names things in OpenLineage: jobs, warehouse tables, sources, and run ids.

Warehouse tables follow the OpenLineage naming convention for PostgreSQL
(namespace ``postgres://host:port``, name ``database.schema.table``), so an
Airflow or dbt job that reads ``navigate.orders`` names the same node and its
events join Atlas's own in one graph.
"""
from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections

from atlas.choices import Layer
from lineage.choices import NodeLayer

if TYPE_CHECKING:
    from catalog.models import Dataset
    from pipeline.models import PipelineRun

PRODUCER = "https://github.com/atlas-data-governance/atlas"
JOB_PREFIX = "atlas.pipeline."
FILE_NAMESPACE = "file"


def job_namespace() -> str:
    return settings.OPENLINEAGE_NAMESPACE


def job_name(dataset: Dataset) -> str:
    """One job per dataset pipeline: ``atlas.pipeline.<table>``."""
    return f"{JOB_PREFIX}{dataset.table_name}"


def warehouse_namespace(using: str = "default") -> str:
    """``postgres://host:port`` of the database holding the warehouse, as other producers name it.

    ``OPENLINEAGE_WAREHOUSE_NAMESPACE`` wins when set (the address BI and Airflow
    use may differ from Atlas's own); a Unix socket (the embedded server) becomes
    ``postgres://localhost:<port>``.
    """
    configured = getattr(settings, "OPENLINEAGE_WAREHOUSE_NAMESPACE", "")
    if configured:
        return configured
    params = connections[using].settings_dict
    host = str(params.get("HOST") or "localhost")
    if host.startswith("/"):
        host = "localhost"
    port = params.get("PORT") or 5432
    return f"postgres://{host}:{port}"


def warehouse_database(using: str = "default") -> str:
    return str(connections[using].settings_dict.get("NAME") or "atlas")


def table_name(layer: str, table: str) -> str:
    """``database.schema.table`` of a warehouse table."""
    return f"{warehouse_database()}.{layer}.{table}"


def source_dataset(run: PipelineRun) -> tuple[str, str]:
    """(namespace, name) of what a run read: its kept file, or the connector's source."""
    if run.source_file_id:
        return FILE_NAMESPACE, run.source_file.file.name
    return f"{job_namespace()}.sources", run.source_description or run.dataset.source or run.dataset.name


def layer_of(namespace: str, name: str) -> str:
    """The graph layer of a dataset node, from its identity."""
    if namespace == FILE_NAMESPACE or namespace.startswith(f"{job_namespace()}.sources"):
        return NodeLayer.SOURCE
    if namespace.startswith(f"{job_namespace()}.features"):
        return NodeLayer.FEATURE
    if namespace == warehouse_namespace():
        parts = name.split(".")
        if len(parts) >= 3 and parts[-2] in Layer.values:
            return parts[-2]
    return NodeLayer.EXTERNAL


def short_label(namespace: str, name: str) -> str:
    """What the graph writes on a node: ``navigate.orders`` rather than ``db.navigate.orders``."""
    if namespace == FILE_NAMESPACE:
        return name.rsplit("/", 1)[-1]
    parts = name.split(".")
    if namespace == warehouse_namespace() and len(parts) >= 3:
        return ".".join(parts[-2:])
    return name


def run_uuid(run: PipelineRun) -> str:
    """A stable UUIDv7 for an Atlas run: its creation time in the high bits, a hash of its identity below.

    The same run always gets the same id, so its FAIL event (sent after the run's
    transaction rolled back) joins its START; the namespace in the hash keeps two
    Atlas installations apart in a shared backend.
    """
    millis = int(run.created.timestamp() * 1000) & ((1 << 48) - 1)
    digest = hashlib.sha256(f"{job_namespace()}/{run.pk}/{run.created.isoformat()}".encode()).digest()
    rand = int.from_bytes(digest[:10], "big")
    value = (
        (millis << 80) | (0x7 << 76) | ((rand >> 68) & 0xFFF) << 64 | (0b10 << 62) | (rand & ((1 << 62) - 1))
    )
    return str(uuid.UUID(int=value))

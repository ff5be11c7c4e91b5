"""OpenLineage events of Atlas runs: START and COMPLETE after the chain, START and FAIL/ABORT on failure.

One job per dataset pipeline; its input is the run's source (the kept file), its
outputs the explore, chart and navigate tables (and chart's rejected table when
rows were set aside), each with schema, column-lineage and, on chart, quality facets.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from openlineage.client.constants import __version__ as OPENLINEAGE_VERSION
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    documentation_job,
    error_message_run,
    input_statistics_input_dataset,
    job_type_job,
    output_statistics_output_dataset,
    processing_engine_run,
)
from openlineage.client.serde import Serde

from lineage.services import facets, naming
from lineage.services.naming import PRODUCER

if TYPE_CHECKING:
    from catalog.models import Dataset
    from pipeline.models import PipelineRun
    from pipeline.stages.base import RunContext

ATLAS_VERSION = "1.0.0"


def _time(moment: datetime | None) -> str:
    return (moment or timezone.now()).astimezone(UTC).isoformat()


def job(dataset: Dataset) -> Job:
    """The dataset's pipeline job, typed and documented."""
    return Job(
        namespace=naming.job_namespace(),
        name=naming.job_name(dataset),
        facets={
            "jobType": job_type_job.JobTypeJobFacet(
                processingType="BATCH", integration="ATLAS", jobType="PIPELINE", producer=PRODUCER
            ),
            "documentation": documentation_job.DocumentationJobFacet(
                description=f"Atlas pipeline of '{dataset.name}': source → explore → chart → navigate.",
                producer=PRODUCER,
            ),
        },
    )


def _run(run: PipelineRun, error: str = "") -> Run:
    run_facets = {
        "processing_engine": processing_engine_run.ProcessingEngineRunFacet(
            version=ATLAS_VERSION,
            name="Atlas",
            openlineageAdapterVersion=OPENLINEAGE_VERSION,
            producer=PRODUCER,
        ),
    }
    if error:
        run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=error, programmingLanguage="PYTHON", producer=PRODUCER)
    return Run(runId=naming.run_uuid(run), facets=run_facets)


def _source(run: PipelineRun, context: RunContext | None = None) -> InputDataset:
    namespace, name = naming.source_dataset(run)
    dataset_facets = {}
    input_facets = {}
    if context is not None:
        dataset_facets["schema"] = facets.schema(
            [(c.name, "string", None) for c in context.present_columns()]
        )
        if "received" in context.counts:
            input_facets["inputStatistics"] = input_statistics_input_dataset.InputStatisticsInputDatasetFacet(
                rowCount=context.counts["received"], producer=PRODUCER)
    return InputDataset(namespace=namespace, name=name, facets=dataset_facets, inputFacets=input_facets)


def _statistics(rows: int | None) -> dict:
    if rows is None:
        return {}
    return {"outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(
        rowCount=rows, producer=PRODUCER)}


def _outputs(context: RunContext) -> list[OutputDataset]:
    """Explore, chart (with quality), rejected (when rows were set aside) and navigate, fully faceted."""
    dataset = context.dataset
    warehouse = naming.warehouse_namespace()
    source = naming.source_dataset(context.run)
    explore = (warehouse, naming.table_name("explore", dataset.table_name))
    chart = (warehouse, naming.table_name("chart", dataset.table_name))
    rejected = (warehouse, naming.table_name("chart", dataset.rejected_table_name))
    navigate = (warehouse, naming.table_name("navigate", dataset.table_name))
    present = context.present_columns()
    descriptions = {c.warehouse_name: c.description for c in dataset.columns.all()}

    explore_facets = {
        "schema": facets.schema(
            [(c.warehouse_name, "text", descriptions.get(c.warehouse_name)) for c in present]
        ),
        "dataSource": facets.datasource(warehouse),
        "columnLineage": facets.explore_lineage(source, present),
    }
    chart_facets = {
        "schema": facets.schema(
            [
                (c.warehouse_name, facets.pg_type(c.data_type), descriptions.get(c.warehouse_name))
                for c in present
            ]
        ),
        "dataSource": facets.datasource(warehouse),
        "columnLineage": facets.chart_lineage(explore, present),
    }
    if context.profile:
        chart_facets["dataQualityMetrics"] = facets.quality_metrics(context)
    if context.quality:
        by_name = {c.name: c.warehouse_name for c in context.columns}
        chart_facets["dataQualityAssertions"] = facets.quality_assertions(context.quality, by_name)
    published = [c for c in context.columns if c.warehouse_name not in context.navigate_dropped]
    navigate_facets = {
        "schema": facets.schema(
            [
                (c.warehouse_name, facets.pg_type(c.data_type), descriptions.get(c.warehouse_name))
                for c in published
            ]
        ),
        "dataSource": facets.datasource(warehouse),
        "columnLineage": facets.navigate_lineage(chart, context),
        **facets.catalog_facets(dataset, context.pii),
    }
    outputs = [
        OutputDataset(namespace=explore[0], name=explore[1], facets=explore_facets,
                      outputFacets=_statistics(context.counts.get("explore"))),
        OutputDataset(namespace=chart[0], name=chart[1], facets=chart_facets,
                      outputFacets=_statistics(context.counts.get("chart"))),
    ]
    if context.counts.get("rejected"):
        outputs.append(OutputDataset(
            namespace=rejected[0], name=rejected[1],
            facets={"dataSource": facets.datasource(warehouse),
                    "columnLineage": facets.rejected_lineage(explore, present)},
            outputFacets=_statistics(context.counts["rejected"]),
        ))
    outputs.append(OutputDataset(namespace=navigate[0], name=navigate[1], facets=navigate_facets,
                                 outputFacets=_statistics(context.counts.get("navigate"))))
    return outputs


def to_payload(event: RunEvent) -> dict:
    """The event as the JSON dict OpenLineage backends receive."""
    return Serde.to_dict(event)


def run_events(context: RunContext) -> list[dict]:
    """START (when the run started) and COMPLETE (now) for a run whose chain has finished."""
    run = context.run
    job_ = job(context.dataset)
    source = _source(run, context)
    planned = [OutputDataset(namespace=o.namespace, name=o.name) for o in _outputs(context)]
    start = RunEvent(eventType=RunState.START, eventTime=_time(run.started_at), run=_run(run), job=job_,
                     inputs=[source], outputs=planned, producer=PRODUCER)
    complete = RunEvent(eventType=RunState.COMPLETE, eventTime=_time(None), run=_run(run), job=job_,
                        inputs=[source], outputs=_outputs(context), producer=PRODUCER)
    return [to_payload(start), to_payload(complete)]


def start_event(run: PipelineRun) -> dict:
    """START for a run whose own START was rolled back with it."""
    return to_payload(RunEvent(eventType=RunState.START, eventTime=_time(run.started_at or run.created),
                               run=_run(run), job=job(run.dataset), inputs=[_source(run)], producer=PRODUCER))


def end_event(run: PipelineRun, state: RunState) -> dict:
    """FAIL or ABORT for a run that did not succeed, with its error message; nothing was written."""
    return to_payload(RunEvent(eventType=state, eventTime=_time(run.finished_at), run=_run(run, run.error),
                               job=job(run.dataset), inputs=[_source(run)], outputs=[], producer=PRODUCER))

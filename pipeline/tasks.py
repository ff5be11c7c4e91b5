"""Pipeline Celery tasks: thin wrappers around the service code."""
from celery import shared_task

from pipeline.services.runner import execute_run


@shared_task(name="pipeline.execute_run", acks_late=True)
def execute_run_task(run_id: int) -> str:
    """Run ``run_id`` through the chain in this worker."""
    return execute_run(run_id).status

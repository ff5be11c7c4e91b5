"""Compliance Celery tasks: thin wrappers around the service code."""
from celery import shared_task

from compliance.services.rescan import find_dataset, rescan


@shared_task(name="compliance.rescan_dataset", acks_late=True)
def rescan_dataset_task(dataset: str) -> int:
    """Rescan ``dataset`` (name or id) for PII; returns how many findings stand."""
    result = rescan(find_dataset(str(dataset)))
    return sum(1 for finding in result.findings if finding.current)

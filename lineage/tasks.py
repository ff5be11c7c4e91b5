"""Lineage Celery tasks: thin wrappers around the service code."""
from celery import shared_task

MAX_RETRIES = 8
BACKOFF_SECONDS = 15
BACKOFF_MAX_SECONDS = 30 * 60


@shared_task(bind=True, name="lineage.forward_event", max_retries=MAX_RETRIES, acks_late=True)
def forward_event(self, event_id: int) -> str:
    """Send one event to ``OPENLINEAGE_URL``; a failure is retried with exponential backoff, then left failed.

    Run eagerly (tests, ``ATLAS_CELERY_EAGER``) there is no worker to come back
    later, so the retries happen at once; ``atlas_lineage_forward`` picks up
    whatever is still failed.
    """
    from lineage.services import forwarding

    outcome = forwarding.forward(event_id)
    if self.request.is_eager:
        for _ in range(self.max_retries):
            if outcome.sent or not outcome.retryable:
                break
            outcome = forwarding.forward(event_id)
    elif not outcome.sent and outcome.retryable and self.request.retries < self.max_retries:
        countdown = min(BACKOFF_SECONDS * 2 ** self.request.retries, BACKOFF_MAX_SECONDS)
        raise self.retry(countdown=countdown)
    return "sent" if outcome.sent else "failed"


@shared_task(name="lineage.forward_due")
def forward_due_events() -> dict:
    """Retry every pending or failed forward once (for Celery beat)."""
    from lineage.services import forwarding

    sent, failed = forwarding.forward_due()
    return {"sent": sent, "failed": failed}

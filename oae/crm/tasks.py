"""Background jobs of the joint database; thin wrappers around services."""

from celery import shared_task

from oae.crm.services import import_job_fail, import_job_run


@shared_task(acks_late=True)
def run_import(job_id: int, dry_run: bool) -> None:
    """Re-runnable: rows already imported come out as unchanged the second time."""
    try:
        import_job_run(job_id=job_id, dry_run=dry_run)
    except Exception as error:
        # The job row records the failure; the person who started it sees it on its page.
        import_job_fail(job_id=job_id, error=error)


@shared_task
def apply_retention() -> int:
    """Daily: anonymise people past the retention period (idempotent)."""
    from oae.crm.privacy_services import retention_apply

    return retention_apply()

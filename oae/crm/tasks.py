"""Background jobs of the joint database; thin wrappers around services. Celery finds a
domain's jobs in its tasks module: the import's own lives beside the service that queues it."""

from celery import shared_task

from oae.crm.imports.jobs import import_files_remove, run_import
from oae.crm.privacy_services import retention_apply

__all__ = ["apply_retention", "remove_import_files", "run_import"]


@shared_task
def apply_retention() -> int:
    """Daily: anonymise people past the retention period (idempotent)."""
    return retention_apply()


@shared_task
def remove_import_files() -> dict[str, int]:
    """Hourly: remove uploaded sheets left by imports nobody runs, and orphan files."""
    return import_files_remove()

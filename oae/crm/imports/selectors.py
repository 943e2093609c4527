"""Reads of import jobs for their pages: a job is seen only by whoever uploaded it."""

from django.db.models import QuerySet

from oae.crm.imports.jobs import import_job_can_start
from oae.crm.models import ImportJob
from oae.scoping import scoped_or_404

RECENT_JOBS = 20


def get_import_job_or_404(user, public_id) -> ImportJob:
    """The import `user` uploaded, with its office; the same 404 for one that is missing and
    one uploaded by someone else (that probe audited)."""
    uploaded = ImportJob.objects.select_related("office").filter(created_by=user)
    return scoped_or_404(user, uploaded, public_id)


def recent_import_jobs(user) -> QuerySet[ImportJob]:
    """The latest imports `user` uploaded, newest first, with their offices."""
    return ImportJob.objects.filter(created_by=user).select_related("office")[:RECENT_JOBS]


def import_job_status(job: ImportJob) -> dict:
    """What a job's page shows of it: the job, the rows to fix, and which runs it offers (a
    dry run while it may start, the real run once a dry run is done)."""
    return {
        "job": job,
        "rejected": [row for row in job.report if row["outcome"] == "rejected"],
        "can_start": import_job_can_start(job),
        "can_import": job.status == ImportJob.Status.CHECKED,
    }
